/**
 * `npx tsx scripts/longFunctions.ts [limit]`: every function in lib/, functions/ and bin/ longer
 * than the limit (60 lines by default), counted from the TypeScript syntax tree (declarations,
 * methods, constructors, accessors, arrow functions and function expressions, first line to
 * last), longest first. Exits 1 when there is any.
 */
import { execSync } from "node:child_process";
import { readFileSync } from "node:fs";
import ts from "typescript";

const limit = Number(process.argv[2] ?? 60);
const files = execSync("git ls-files 'lib/*.ts' 'lib/**/*.ts' 'functions/*.ts' 'bin/*.ts' 'bin/**/*.ts'").toString().trim().split("\n").filter(Boolean);
const long: { lines: number; where: string; name: string }[] = [];
for (const file of files) {
  const source = ts.createSourceFile(file, readFileSync(file, "utf8"), ts.ScriptTarget.Latest, true);
  const visit = (node: ts.Node): void => {
    if (ts.isFunctionLike(node) && "body" in node && node.body !== undefined) {
      const first = source.getLineAndCharacterOfPosition(node.getStart()).line;
      const lines = source.getLineAndCharacterOfPosition(node.getEnd()).line - first + 1;
      if (lines > limit) long.push({ lines, where: `${file}:${first + 1}`, name: nameOf(node) });
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
}
for (const { lines, where, name } of long.sort((a, b) => b.lines - a.lines)) console.log(`${String(lines).padStart(4)}  ${where}  ${name}`);
console.log(`${long.length} function(s) over ${limit} lines`);
process.exitCode = long.length > 0 ? 1 : 0;

/** The function's name, or the name it is assigned to. */
function nameOf(node: ts.Node): string {
  const named = (node as { name?: ts.Node }).name;
  if (named) return named.getText();
  const parent = node.parent;
  if (parent && (ts.isVariableDeclaration(parent) || ts.isPropertyAssignment(parent))) return parent.name.getText();
  return "(anonymous)";
}
