import { type Command, ExitCode, parseOptions, UserError } from "../command.ts";
import { oidcToken, post, readPlan, SERVICE_HELP, SERVICE_OPTIONS, serviceTarget } from "./service-client.ts";

export const gate: Command = {
  path: ["gate"],
  summary: "Ask the change-control service whether this plan of this stack may be applied now",
  help: `Usage: sluice gate --stack STACK --plan plan.json [options]

Computes the digest of the plan about to be applied and asks the change-control service whether it may
run: only when the commit's pull request is approved, the digest is the approved plan's, the stack's
change window is open (or an emergency override is complete), and the applier (the workflow run's
actor) neither wrote, pushed nor approved the change. Prints the decision, or every reason for refusing.

Options:
  --stack STACK       The stack about to be applied (required)
  --plan FILE         \`terraform show -json\` of the plan file that will be applied (required)
  --actor LOGIN       The applier (default: the OIDC token's actor; any other login is refused)
${SERVICE_HELP}

Exit codes: 0 allowed, 1 refused, 2 unusable plan, arguments or service unreachable (never apply then).

Example:
  terraform show -json tfplan > plan.json
  npx sluice gate --stack prod-platform --plan plan.json && terraform apply tfplan`,
  async run(args, io) {
    const { values } = parseOptions("gate", {
      args: [...args],
      allowPositionals: false,
      options: {
        stack: { type: "string" },
        plan: { type: "string" },
        actor: { type: "string" },
        ...SERVICE_OPTIONS,
      },
    });
    if (!values.stack) throw new UserError("--stack STACK is required");
    if (!values.plan) throw new UserError("--plan FILE is required");
    const target = serviceTarget(values, io);
    const plan = readPlan(values.plan, io);
    const token = await oidcToken(values, io);
    const body = {
      repository: target.repository,
      sha: target.sha,
      stack: values.stack,
      digest: plan.digest,
      ...(values.actor ? { actor: values.actor } : {}),
    };
    const answer = await post(`${target.server}/v1/gate`, token, JSON.stringify(body));
    const reasons = Array.isArray(answer.body.reasons) ? (answer.body.reasons as string[]) : [];
    const where = `${values.stack} at ${target.sha.slice(0, 7)} (plan ${plan.digest})`;
    if (answer.status === 200 && answer.body.allowed === true) {
      io.stdout(`allowed: ${where}\n${reasons.map((r) => `  - ${r}\n`).join("")}`);
      return ExitCode.ok;
    }
    if (answer.status === 403 && reasons.length > 0) {
      io.stderr(`refused: ${where}\n${reasons.map((r) => `  - ${r}\n`).join("")}`);
      return ExitCode.findings;
    }
    io.stderr(
      `refused: ${where}: HTTP ${answer.status}: ${String(answer.body.error ?? "no reason given")}\n`,
    );
    return answer.status >= 500 ? ExitCode.usage : ExitCode.findings;
  },
};
