import { checkName, type DoctorReport } from "./run-doctor.js";

/** The doctor's report as the CLI prints it: one line per check, a fix under each failure, a verdict. */
export function formatDoctor(report: DoctorReport): string {
  const lines = [
    `portico doctor: proxy "${report.proxy}", app "${report.app}", for a fresh anonymous user (${report.user})`,
  ];
  report.checks.forEach((check, i) => {
    lines.push(`  [${check.ok ? "PASS" : "FAIL"}] ${i + 1}. ${check.title}`);
    lines.push(`         ${check.detail}`);
    if (check.fix) lines.push(`         fix: ${check.fix}`);
  });
  lines.push(
    report.ok
      ? "Result: PASS — an anonymous visitor can open this app"
      : `Result: FAIL — failing requirement${report.failing.length > 1 ? "s" : ""}: ${report.failing.map(checkName).join(", ")}`,
  );
  return `${lines.join("\n")}\n`;
}
