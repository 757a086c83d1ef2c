import { type Command, ExitCode, oneOf, parseOptions, UserError } from "../command.ts";
import { oidcToken, post, readPlan, SERVICE_HELP, SERVICE_OPTIONS, serviceTarget } from "./service-client.ts";

export const applyReport: Command = {
  path: ["apply", "report"],
  summary: "Tell the change-control service how a gated apply ended (the 'applied' step of the audit trail)",
  help: `Usage: sluice apply report --stack STACK --plan plan.json --outcome succeeded|failed [options]

Records in the service's audit log that the plan \`sluice gate\` allowed was applied (or failed to apply).
The service accepts it only after the gate allowed exactly this stack, plan digest and commit for the
same workflow actor.

Options:
  --stack STACK       The stack that was applied (required)
  --plan FILE         \`terraform show -json\` of the applied plan file (required)
  --outcome O         succeeded or failed (required)
${SERVICE_HELP}

Exit codes: 0 recorded, 1 refused by the service, 2 unusable plan, arguments or service unreachable.`,
  async run(args, io) {
    const { values } = parseOptions("apply report", {
      args: [...args],
      allowPositionals: false,
      options: {
        stack: { type: "string" },
        plan: { type: "string" },
        outcome: { type: "string" },
        ...SERVICE_OPTIONS,
      },
    });
    if (!values.stack) throw new UserError("--stack STACK is required");
    if (!values.plan) throw new UserError("--plan FILE is required");
    if (!values.outcome) throw new UserError("--outcome succeeded|failed is required");
    const outcome = oneOf("outcome", values.outcome, ["succeeded", "failed"], "succeeded");
    const target = serviceTarget(values, io);
    const plan = readPlan(values.plan, io);
    const token = await oidcToken(values, io);
    const body = {
      repository: target.repository,
      sha: target.sha,
      stack: values.stack,
      digest: plan.digest,
      outcome,
    };
    const answer = await post(`${target.server}/v1/applies`, token, JSON.stringify(body));
    if (answer.status === 201) {
      io.stdout(`recorded: ${values.stack} at ${target.sha.slice(0, 7)} ${outcome}\n`);
      return ExitCode.ok;
    }
    io.stderr(
      `sluice apply report: refused (HTTP ${answer.status}): ${String(answer.body.error ?? "no reason given")}\n`,
    );
    return answer.status >= 500 ? ExitCode.usage : ExitCode.findings;
  },
};
