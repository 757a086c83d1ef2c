import { type Command, ExitCode, parseOptions, UserError } from "../command.ts";
import { oidcToken, post, readPlan, SERVICE_HELP, SERVICE_OPTIONS, serviceTarget } from "./service-client.ts";

export const planUpload: Command = {
  path: ["plan", "upload"],
  summary: "Upload a stack's plan (terraform show -json) to the change-control service for review",
  help: `Usage: sluice plan upload <plan.json> --stack STACK [options]

Reviews the plan locally (so a broken file fails here, naming the problem), then uploads it to the
change-control service for the pull request's head commit. The service stores only the masked review,
its digest and findings, and re-evaluates the pull request. Authenticated by the workflow's GitHub
Actions OIDC token.

Options:
  --stack STACK       The stack the plan is for, e.g. prod-platform (required)
${SERVICE_HELP}

Exit codes: 0 uploaded, 1 refused by the service, 2 unusable plan, arguments or service unreachable.

Example (in a pull_request workflow with permissions id-token: write):
  npx sluice plan upload cdktf.out/stacks/prod-platform/plan.json --stack prod-platform`,
  async run(args, io) {
    const { values, positionals } = parseOptions("plan upload", {
      args: [...args],
      allowPositionals: true,
      options: { stack: { type: "string" }, ...SERVICE_OPTIONS },
    });
    if (positionals.length !== 1)
      throw new UserError("expected exactly one plan file. Run `sluice plan upload --help`.");
    if (!values.stack) throw new UserError("--stack STACK is required");
    const file = positionals[0] as string;
    const target = serviceTarget(values, io);
    const plan = readPlan(file, io);
    const token = await oidcToken(values, io);
    const query = new URLSearchParams({
      repository: target.repository,
      sha: target.sha,
      stack: values.stack,
    });
    const answer = await post(`${target.server}/v1/plans?${query}`, token, plan.text);
    if (answer.status !== 201) {
      io.stderr(
        `sluice plan upload: refused (HTTP ${answer.status}): ${String(answer.body.error ?? "no reason given")}\n`,
      );
      return answer.status >= 500 ? ExitCode.usage : ExitCode.findings;
    }
    io.stdout(
      `uploaded ${values.stack} for ${target.repository}@${target.sha.slice(0, 7)}: digest ${String(answer.body.digest)}, ${String(answer.body.findings)} finding(s)\n`,
    );
    return ExitCode.ok;
  },
};
