import { describe, expect, it } from "vitest";
import { csvLine, toCsv } from "./to-csv.js";

describe("CSV output", () => {
  it("quotes commas, quotes and line breaks (RFC 4180) and ends records with CRLF", () => {
    expect(csvLine(["a,b", 'say "hi"', "two\nlines", "plain"])).toBe(
      '"a,b","say ""hi""","two\nlines",plain\r\n',
    );
  });

  it("writes numbers as is and nulls as empty cells", () => {
    expect(
      toCsv([
        ["Year", "Amount"],
        [2024, -12.5],
        [null, 0],
      ]),
    ).toBe("Year,Amount\r\n2024,-12.5\r\n,0\r\n");
  });

  it("neutralises text that a spreadsheet would run as a formula", () => {
    expect(csvLine(['=HYPERLINK("http://x")', "+1", "-2", "@SUM(A1)", "\tx", "ok"])).toBe(
      '"\'=HYPERLINK(""http://x"")",\'+1,\'-2,\'@SUM(A1),\'\tx,ok\r\n',
    );
    expect(csvLine(["=1+1"], { neutraliseFormulas: false })).toBe("=1+1\r\n");
    expect(csvLine([-5])).toBe("-5\r\n");
  });
});
