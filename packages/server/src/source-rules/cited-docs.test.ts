import path from "node:path";
import { describe, expect, it } from "vitest";
import { filesUnder, PACKAGES_DIR, sourceFiles } from "../testing/source-files.js";

const ROOT = path.dirname(PACKAGES_DIR.replace(/[\\/]$/, ""));

/** A Markdown file named in the source: `docs/security.md`, `visits/README.md`. */
const CITED_MD = /[A-Za-z0-9_.-]+(?:\/[A-Za-z0-9_.-]+)*\.md\b/g;

/** Every Markdown file of the repository (not in hidden folders), as a path from its root with `/`. */
function markdownFiles(): string[] {
  return filesUnder(
    ROOT,
    (name) => name.endsWith(".md"),
    (folder) => folder.startsWith("."),
  ).map((file) => path.relative(ROOT, file).split(path.sep).join("/"));
}

/** The cited names no file of the repository answers to (a citation may leave out leading folders). */
function missingCitations(text: string, files: readonly string[]): string[] {
  // A web address names someone else's file; `./` and `../` lead to a path the suffix match finds anyway.
  const local = text.replace(/\bhttps?:\/\/\S+/g, "");
  const cited = (local.match(CITED_MD) ?? []).map((name) => name.replace(/^(?:\.\.?\/)+/, ""));
  return [...new Set(cited)].filter(
    (cited) => !files.some((file) => file === cited || file.endsWith(`/${cited}`)),
  );
}

describe("documents cited in the source", () => {
  it("spots a citation of a file the repository does not have", () => {
    const files = ["docs/security.md", "packages/server/src/visits/README.md"];
    expect(missingCitations("see docs/security.md and visits/README.md", files)).toEqual([]);
    expect(missingCitations("see ../docs/security.md, ./docs/security.md", files)).toEqual([]);
    expect(missingCitations("see https://github.com/acme/thing/blob/main/OTHER.md", files)).toEqual([]);
    // Built from parts: this file's own text is checked too.
    const design = ["DESIGN", "md"].join(".");
    expect(missingCitations(`/** The rules (${design} §3) */`, files)).toEqual([design]);
  });

  it("every Markdown file a source file names is in the repository", () => {
    const files = markdownFiles();
    const missing = sourceFiles().flatMap(({ file, text }) =>
      missingCitations(text, files).map((cited) => `${path.relative(ROOT, file)}: ${cited}`),
    );
    expect(missing).toEqual([]);
  });
});
