// Lints Cypher statements with Neo4j's own linter (@neo4j-cypher/language-support).
// Input (stdin): {"schema": DbSchema, "statements": [{"name", "text", "parameters": [..]}]}
// Output (stdout): [{"name", "diagnostics": [{"severity", "message", "offsets"}]}]
import * as cypher from "@neo4j-cypher/language-support";

const chunks = [];
for await (const chunk of process.stdin) chunks.push(chunk);
const input = JSON.parse(Buffer.concat(chunks).toString("utf8"));
const out = [];
for (const stmt of input.statements) {
  const parameters = {};
  for (const p of stmt.parameters || []) parameters[p] = null;
  const schema = { ...input.schema, parameters };
  const result = cypher.lintCypherQuery(stmt.text, schema);
  out.push({
    name: stmt.name,
    diagnostics: result.diagnostics.map((d) => ({
      severity: d.severity === 1 ? "error" : d.severity === 2 ? "warning" : String(d.severity),
      message: d.message,
      offsets: d.offsets,
    })),
  });
}
process.stdout.write(JSON.stringify(out));
