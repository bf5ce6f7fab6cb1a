// Measures the Cedar engine (WebAssembly build, @cedar-policy/cedar-wasm) on
// the requests of Cedar integration tests, for comparison with
// `rune-run bench` on the same tests.
//
//   node bench.mjs --root <conformance root> [--iterations N] <test.json>...
//
// cedar-wasm converts the whole entity list (and, with isAuthorized, the
// policies and schema) on every call. To compare evaluation with evaluation,
// every call is paired with the same call on an empty policy set, timed
// right after it, and the median of the pairs' differences is reported:
//   full:     isAuthorized (policies, schema, entities converted per call)
//   stateful: statefulIsAuthorized with a preparsed policy set and schema
//             (entities still converted per call)
// Prints one JSON object with per-decision medians and p99s in microseconds.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import * as cedar from "@cedar-policy/cedar-wasm/nodejs";

function parseArgs(argv) {
  const args = { root: ".", iterations: 200, tests: [] };
  for (let i = 0; i < argv.length; ++i) {
    if (argv[i] === "--root") args.root = argv[++i];
    else if (argv[i] === "--iterations") args.iterations = Number(argv[++i]);
    else args.tests.push(argv[i]);
  }
  return args;
}

function percentile(sorted, p) {
  return sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))];
}

function summarize(samples) {
  const sorted = [...samples].sort((a, b) => a - b);
  return { median_us: percentile(sorted, 0.5), p99_us: percentile(sorted, 0.99) };
}

function timeOnce(fn) {
  const start = process.hrtime.bigint();
  fn();
  return Number(process.hrtime.bigint() - start) / 1000;
}

// Times `withPolicies` and `empty` alternately, so that drift (GC, other
// load) hits both alike, and records each pair's difference: the time the
// policies themselves took.
function timePaired(withPolicies, empty, iterations, out, outEmpty, outDiff) {
  for (let i = 0; i < iterations; ++i) {
    const a = timeOnce(withPolicies), b = timeOnce(empty);
    out.push(a);
    outEmpty.push(b);
    outDiff.push(a - b);
  }
}

const args = parseArgs(process.argv.slice(2));
const workloads = [];
for (const test of args.tests) {
  const spec = JSON.parse(readFileSync(test, "utf8"));
  const policies = readFileSync(join(args.root, spec.policies), "utf8");
  const entities = JSON.parse(readFileSync(join(args.root, spec.entities), "utf8"));
  const schema = readFileSync(join(args.root, spec.schema), "utf8");
  workloads.push({ test, spec, policies, entities, schema });
}

const samples = { full: [], fullEmpty: [], stateful: [], statefulEmpty: [] };
const differences = { full: [], stateful: [] };
let decisions = 0, mismatches = 0;
for (const [index, w] of workloads.entries()) {
  const id = `set${index}`;
  for (const [name, policies] of [[id, w.policies], [`${id}-empty`, ""]]) {
    const parsed = cedar.preparsePolicySet(name, { staticPolicies: policies });
    if (parsed.type !== "success") throw new Error(`${w.test}: ${JSON.stringify(parsed)}`);
  }
  const schemaParsed = cedar.preparseSchema(id, w.schema);
  if (schemaParsed.type !== "success") throw new Error(`${w.test}: ${JSON.stringify(schemaParsed)}`);

  for (const request of w.spec.requests) {
    const base = {
      principal: request.principal, action: request.action, resource: request.resource,
      context: request.context ?? {}, entities: w.entities, validateRequest: false,
    };
    const full = { ...base, schema: w.schema, policies: { staticPolicies: w.policies } };
    const fullEmpty = { ...full, policies: { staticPolicies: "" } };
    const stateful = { ...base, preparsedSchemaName: id, preparsedPolicySetId: id };
    const statefulEmpty = { ...stateful, preparsedPolicySetId: `${id}-empty` };

    const answer = cedar.isAuthorized(full);
    if (answer.type !== "success") throw new Error(`${w.test}: ${JSON.stringify(answer)}`);
    decisions += 1;
    if (answer.response.decision !== request.decision) mismatches += 1;

    for (let i = 0; i < 20; ++i) cedar.statefulIsAuthorized(stateful); // warm up
    timePaired(() => cedar.isAuthorized(full), () => cedar.isAuthorized(fullEmpty),
               args.iterations, samples.full, samples.fullEmpty, differences.full);
    timePaired(() => cedar.statefulIsAuthorized(stateful),
               () => cedar.statefulIsAuthorized(statefulEmpty),
               args.iterations, samples.stateful, samples.statefulEmpty, differences.stateful);
  }
}

const result = { engine: `cedar-wasm ${cedar.getCedarVersion()}`, requests: decisions,
                 decisions_disagreeing_with_tests: mismatches, iterations: args.iterations };
for (const [name, list] of Object.entries(samples)) result[name] = summarize(list);
// Evaluation only: the median of the paired differences.
result.full_evaluation_median_us = summarize(differences.full).median_us;
result.stateful_evaluation_median_us = summarize(differences.stateful).median_us;
console.log(JSON.stringify(result, null, 2));
