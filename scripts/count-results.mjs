#!/usr/bin/env node
// Reads vitest's JSON report and prints the counts per package, then, as the last line,
// "N passed, N failed, N skipped" summed over every package. Exits non-zero if anything failed or no
// test ran.
//
// Usage: node scripts/count-results.mjs <report.json> <vitest exit code>
//
// A test file that failed outside any test (an import error, a failing beforeAll) counts as one failed
// test, and so does a vitest run that exited non-zero with no failure in its report (an unhandled error,
// a crash, a timeout): the printed line never says "0 failed" for a run that did not pass.
import { existsSync, readFileSync } from "node:fs";
import { relative, sep } from "node:path";
import { fileURLToPath } from "node:url";
import { listWorkspacePackages } from "./lib/workspace.mjs";

const repoRoot = fileURLToPath(new URL("..", import.meta.url));

function parseArguments(argv) {
  const [reportPath, exitCodeText] = argv;
  if (!reportPath || exitCodeText === undefined || !/^\d+$/.test(exitCodeText)) {
    throw new Error("usage: count-results.mjs <report.json> <vitest exit code>");
  }
  return { reportPath, vitestExitCode: Number(exitCodeText) };
}

function readReport(reportPath) {
  if (!existsSync(reportPath)) return undefined;
  try {
    return JSON.parse(readFileSync(reportPath, "utf8"));
  } catch (error) {
    console.error(`count-results: ${reportPath} is not valid JSON: ${error.message}`);
    return undefined;
  }
}

function packageNameFor(filePath, packages) {
  const owner = packages
    .filter(({ dir }) => filePath.startsWith(dir + sep))
    .sort((a, b) => b.dir.length - a.dir.length)[0];
  return owner ? String(owner.manifest.name) : relative(repoRoot, filePath);
}

function emptyCounts() {
  return { passed: 0, failed: 0, skipped: 0 };
}

function countReport(report, packages) {
  const perPackage = new Map();
  const fileErrors = [];
  for (const file of report.testResults ?? []) {
    const name = packageNameFor(file.name, packages);
    const counts = perPackage.get(name) ?? emptyCounts();
    perPackage.set(name, counts);
    for (const assertion of file.assertionResults ?? []) {
      if (assertion.status === "passed") counts.passed += 1;
      else if (assertion.status === "failed") counts.failed += 1;
      else counts.skipped += 1;
    }
    const failedTests = (file.assertionResults ?? []).filter((a) => a.status === "failed").length;
    if (file.status === "failed" && failedTests === 0) {
      counts.failed += 1;
      fileErrors.push(`${relative(repoRoot, file.name)}: ${file.message || "failed outside any test"}`);
    }
  }
  return { perPackage, fileErrors };
}

function total(perPackage) {
  const sum = emptyCounts();
  for (const counts of perPackage.values()) {
    sum.passed += counts.passed;
    sum.failed += counts.failed;
    sum.skipped += counts.skipped;
  }
  return sum;
}

function main() {
  const { reportPath, vitestExitCode } = parseArguments(process.argv.slice(2));
  const report = readReport(reportPath);
  const packages = listWorkspacePackages(repoRoot);
  const { perPackage, fileErrors } = report
    ? countReport(report, packages)
    : { perPackage: new Map(), fileErrors: [] };

  console.log("\nTest results per package:");
  const names = [...perPackage.keys()].sort();
  const width = Math.max(8, ...names.map((name) => name.length));
  for (const name of names) {
    const c = perPackage.get(name);
    console.log(`  ${name.padEnd(width)}  ${c.passed} passed, ${c.failed} failed, ${c.skipped} skipped`);
  }
  if (names.length === 0) console.log("  (no test results)");
  for (const message of fileErrors) console.log(`  file-level failure: ${message}`);

  const sum = total(perPackage);
  if (!report) {
    console.log(`  no report at ${reportPath}: vitest did not finish (exit code ${vitestExitCode})`);
  }
  const ran = sum.passed + sum.failed;
  if (ran === 0) console.log("  no test ran: that is a failure");
  if (vitestExitCode !== 0 && sum.failed === 0) {
    console.log(
      `  vitest exited with code ${vitestExitCode} without a failed test in its report (see its output)`,
    );
    sum.failed = 1;
  }

  console.log(`${sum.passed} passed, ${sum.failed} failed, ${sum.skipped} skipped`);
  process.exitCode = sum.failed > 0 || ran === 0 ? 1 : 0;
}

main();
