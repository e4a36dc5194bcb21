// Evaluates AWS requests against IAM policies with an implementation that is not
// orderctl's: cloud-copilot's iam-simulate (identity and resource policies, every
// condition operator, same- and cross-account requests), for `tests/policies.rs`.
//
// stdin: a JSON array of cases
//   { principal, action, resource, accountId, context?, resourcePolicy?, identityPolicy? }
// stdout: a JSON array, one answer per case, in the same order:
//   { result: "Allowed" | "ExplicitlyDenied" | "ImplicitlyDenied" | "error", errors? }
// A case the simulator refuses to evaluate (an unknown action, a resource of the wrong
// type for the action, a malformed policy) is `"error"` with its reasons, never a denial.
import { runSimulation } from '@cloud-copilot/iam-simulate'

const chunks = []
for await (const chunk of process.stdin) chunks.push(chunk)
const cases = JSON.parse(Buffer.concat(chunks).toString('utf8'))

const out = []
for (const c of cases) {
  const simulation = {
    identityPolicies: c.identityPolicy ? [{ name: 'orderctl', policy: c.identityPolicy }] : [],
    serviceControlPolicies: [],
    resourceControlPolicies: [],
    resourcePolicy: c.resourcePolicy,
    request: {
      principal: c.principal,
      action: c.action,
      resource: { resource: c.resource, accountId: c.accountId },
      contextVariables: c.context ?? {},
    },
  }
  const response = await runSimulation(simulation, {})
  if (response.resultType === 'error') {
    out.push({ result: 'error', errors: response.errors })
  } else {
    out.push({ result: response.overallResult })
  }
}
process.stdout.write(JSON.stringify(out))
