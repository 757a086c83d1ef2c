import { describe, expect, it } from "vitest";
import { only, resources, synthStack, testStack } from "../test/stack.ts";
import { CiIdentity, type CiIdentityProps, DEFAULT_APPLY_SERVICES } from "./ci-identity.ts";

const base: CiIdentityProps = {
  repository: "acme/platform",
  stateBucketArn: "arn:aws:s3:::prod-tfstate-111111111111",
  stateKmsKeyArn: "arn:aws:kms:eu-west-1:111111111111:key/0f0e0d0c-0000-4000-8000-000000000000",
};

interface Statement {
  Sid: string;
  Effect: string;
  Action?: string | string[];
  NotAction?: string | string[];
  Resource?: string | string[];
  NotResource?: string | string[];
  Condition?: Record<string, Record<string, unknown>>;
  Principal?: unknown;
}

function build(props: Partial<CiIdentityProps> = {}) {
  const stack = testStack("prod", "prod-bootstrap");
  const ci = new CiIdentity(stack, "ci", { ...base, ...props });
  const json = synthStack(stack);
  const role = (name: string) => {
    const found = Object.values(resources(json, "aws_iam_role")).find((r) => r.name === name);
    if (!found) throw new Error(`no role ${name}`);
    return { ...found, trust: JSON.parse(String(found.assume_role_policy)).Statement as Statement[] };
  };
  const inline = (name: string) => {
    const found = Object.values(resources(json, "aws_iam_role_policy")).find((p) => p.name === name);
    if (!found) throw new Error(`no policy ${name}`);
    return JSON.parse(String(found.policy)).Statement as Statement[];
  };
  return { ci, json, role, inline };
}

const sub = (s: Statement | undefined) =>
  s?.Condition?.StringEquals?.["token.actions.githubusercontent.com:sub"];

describe("CiIdentity", () => {
  it("creates the GitHub OIDC provider with the STS audience", () => {
    const { json } = build();
    expect(only(json, "aws_iam_openid_connect_provider")).toEqual({
      url: "https://token.actions.githubusercontent.com",
      client_id_list: ["sts.amazonaws.com"],
    });
  });

  it("reuses an existing OIDC provider when given one", () => {
    const arn = "arn:aws:iam::111111111111:oidc-provider/token.actions.githubusercontent.com";
    const { json, role, ci } = build({ oidcProviderArn: arn });
    expect(resources(json, "aws_iam_openid_connect_provider")).toEqual({});
    expect(role("prod-ci-plan").trust[0]?.Principal).toEqual({ Federated: arn });
    expect(ci.oidcProviderArn).toBe(arn);
  });

  it("trusts the apply role only for the protected environment, with exact aud and sub", () => {
    const { role, ci } = build();
    const [statement, ...rest] = role("prod-ci-apply").trust;
    expect(rest).toEqual([]);
    expect(statement).toMatchObject({
      Effect: "Allow",
      Action: "sts:AssumeRoleWithWebIdentity",
      Condition: {
        StringEquals: {
          "token.actions.githubusercontent.com:aud": "sts.amazonaws.com",
          "token.actions.githubusercontent.com:sub": ["repo:acme/platform:environment:prod"],
        },
      },
    });
    expect(Object.keys(statement?.Condition ?? {})).toEqual(["StringEquals"]);
    expect(ci.applyRoleName).toBe("prod-ci-apply");
    expect(ci.planRoleName).toBe("prod-ci-plan");
  });

  it("takes the apply environment and branch from props", () => {
    const { role } = build({ protectedEnvironment: "production", protectedBranch: "release" });
    expect(sub(role("prod-ci-apply").trust[0])).toEqual([
      "repo:acme/platform:environment:production",
      "repo:acme/platform:ref:refs/heads/release",
    ]);
    expect(sub(role("prod-ci-plan").trust[0])).toEqual([
      "repo:acme/platform:pull_request",
      "repo:acme/platform:ref:refs/heads/release",
    ]);
  });

  it("trusts the plan role only in jobs of the default branch's plan-stack.yml reusable workflow", () => {
    const jobRef = (s: Statement | undefined) =>
      s?.Condition?.StringEquals?.["token.actions.githubusercontent.com:job_workflow_ref"];
    expect(jobRef(build().role("prod-ci-plan").trust[0])).toEqual([
      "acme/platform/.github/workflows/plan-stack.yml@refs/heads/main",
    ]);
    expect(
      jobRef(
        build({ planWorkflowRef: ".github/workflows/plan-stack.yml@refs/heads/trunk" }).role("prod-ci-plan")
          .trust[0],
      ),
    ).toEqual(["acme/platform/.github/workflows/plan-stack.yml@refs/heads/trunk"]);
    expect(jobRef(build().role("prod-ci-apply").trust[0])).toBeUndefined();
    expect(() => build({ planWorkflowRef: ".github/workflows/*.yml@refs/heads/main" })).toThrow(
      /CiIdentity: planWorkflowRef must be a reusable workflow pinned to a branch or tag/,
    );
    expect(() => build({ planWorkflowRef: ".github/workflows/plan-stack.yml" })).toThrow(/planWorkflowRef/);
  });

  it("trusts the plan role for pull requests and the main branch by default, or the given subjects", () => {
    expect(sub(build().role("prod-ci-plan").trust[0])).toEqual([
      "repo:acme/platform:pull_request",
      "repo:acme/platform:ref:refs/heads/main",
    ]);
    expect(sub(build({ planSubjects: ["pull_request"] }).role("prod-ci-plan").trust[0])).toEqual([
      "repo:acme/platform:pull_request",
    ]);
  });

  it("gives the plan role ReadOnlyAccess, state reads, lock-file writes, and denies reading other data", () => {
    const { json, inline } = build();
    expect(only(json, "aws_iam_role_policy_attachment").policy_arn).toMatch(
      /:iam::aws:policy\/ReadOnlyAccess$/,
    );
    const statements = inline("prod-ci-plan-state");
    const bySid = Object.fromEntries(statements.map((s) => [s.Sid, s]));
    expect(bySid.ReadState).toMatchObject({ Action: "s3:GetObject", Resource: `${base.stateBucketArn}/*` });
    expect(bySid.LockState).toMatchObject({
      Action: ["s3:PutObject", "s3:DeleteObject"],
      Resource: `${base.stateBucketArn}/*.tflock`,
    });
    expect(bySid.UseStateKey).toMatchObject({ Resource: base.stateKmsKeyArn });
    expect(bySid.DenyReadingOtherObjects).toMatchObject({
      Effect: "Deny",
      NotResource: `${base.stateBucketArn}/*`,
    });
    expect(bySid.DenyReadingSecrets).toMatchObject({
      Effect: "Deny",
      Action: "secretsmanager:GetSecretValue",
    });
    expect(bySid.DenyReadingLogEvents).toMatchObject({
      Effect: "Deny",
      Action: expect.arrayContaining(["logs:GetLogEvents", "logs:FilterLogEvents", "logs:StartQuery"]),
      Resource: "*",
    });
    expect(bySid.DenyReadingParameters).toMatchObject({
      Effect: "Deny",
      Action: expect.arrayContaining(["ssm:GetParameter", "ssm:GetParameters", "ssm:GetParametersByPath"]),
      NotResource: [expect.stringMatching(/:ssm:\*::parameter\/aws\/service\/\*$/)],
    });
    expect(statements.filter((s) => s.Effect === "Allow").every((s) => s.Resource !== "*")).toBe(true);
  });

  it("scopes the apply role: services by region, IAM by the environment prefix, S3 to the state", () => {
    const { inline } = build({ regions: ["eu-west-1"] });
    const statements = inline("prod-ci-apply-policy");
    const bySid = Object.fromEntries(statements.map((s) => [s.Sid, s]));
    expect(bySid.ManagePlatformServices).toMatchObject({
      Action: DEFAULT_APPLY_SERVICES.map((s) => `${s}:*`),
      Resource: "*",
      Condition: { StringEquals: { "aws:RequestedRegion": ["eu-west-1"] } },
    });
    const iamResources = (bySid.ManageEnvironmentIam?.Resource ?? []) as string[];
    expect(iamResources.map((r) => r.replace(/^.*:iam::[^:]+:/, ""))).toEqual([
      "role/prod-*",
      "policy/prod-*",
      "instance-profile/prod-*",
    ]);
    expect(bySid.ReadWriteState).toMatchObject({ Resource: `${base.stateBucketArn}/*` });
    expect(bySid.DenyChangingCiRoles?.Effect).toBe("Deny");
    expect(
      ((bySid.DenyChangingCiRoles?.Resource ?? []) as string[]).map((r) => r.split(":role/")[1]),
    ).toEqual(["prod-ci-plan", "prod-ci-apply"]);
    expect(bySid.DenyAdministratorPolicies?.Effect).toBe("Deny");
    expect(bySid.ProtectStateKey).toMatchObject({ Effect: "Deny", Resource: base.stateKmsKeyArn });

    const allowed = statements.filter((s) => s.Effect === "Allow");
    const actions = allowed.flatMap((s) => [s.Action].flat());
    expect(actions).not.toContain("*");
    expect(actions).not.toContain("s3:*");
    expect(allowed.some((s) => s.NotAction !== undefined || s.NotResource !== undefined)).toBe(false);
  });

  it("lets the apply role read only the SSM parameters named in props", () => {
    const sids = (statements: Statement[]) => statements.map((s) => s.Sid);
    expect(sids(build({ regions: ["eu-west-1"] }).inline("prod-ci-apply-policy"))).not.toContain(
      "ReadStackParameters",
    );
    const { inline } = build({
      regions: ["eu-west-1"],
      readableParameterNames: ["/sluice/prod/chat-webhook"],
    });
    const statement = inline("prod-ci-apply-policy").find((s) => s.Sid === "ReadStackParameters");
    expect(statement?.Action).toEqual(["ssm:GetParameter", "ssm:GetParameters"]);
    expect(statement?.Resource).toEqual([
      expect.stringMatching(/^arn:.*:ssm:eu-west-1:.*:parameter\/sluice\/prod\/chat-webhook$/),
    ]);
    expect(() => build({ readableParameterNames: ["/sluice/*"] })).toThrow(
      /readableParameterNames\[0\] .* got "\/sluice\/\*"/,
    );
  });

  it("takes the apply services from props", () => {
    const { inline } = build({ applyServices: ["ec2", "eks"] });
    const services = inline("prod-ci-apply-policy").find((s) => s.Sid === "ManagePlatformServices");
    expect(services?.Action).toEqual(["ec2:*", "eks:*"]);
  });

  it("creates the registry role only for the named workflows on the protected branch", () => {
    expect(build().ci.registryRoleName).toBeUndefined();
    const none = build();
    expect(Object.values(resources(none.json, "aws_iam_role")).map((r) => r.name)).not.toContain(
      "prod-ci-registry",
    );

    const { ci, role, inline } = build({
      registryWorkflows: [".github/workflows/build.yml", ".github/workflows/promote.yml"],
      registryBranch: "release",
      regions: ["eu-west-1"],
    });
    expect(ci.registryRoleName).toBe("prod-ci-registry");
    const trust = role("prod-ci-registry").trust;
    expect(trust).toHaveLength(1);
    expect(trust[0]?.Action).toBe("sts:AssumeRoleWithWebIdentity");
    expect(trust[0]?.Condition).toEqual({
      StringEquals: {
        "token.actions.githubusercontent.com:aud": "sts.amazonaws.com",
        "token.actions.githubusercontent.com:sub": ["repo:acme/platform:ref:refs/heads/release"],
        "token.actions.githubusercontent.com:job_workflow_ref": [
          "acme/platform/.github/workflows/build.yml@refs/heads/release",
          "acme/platform/.github/workflows/promote.yml@refs/heads/release",
        ],
      },
    });
    const statements = inline("prod-ci-registry-policy");
    expect(statements.map((s) => [s.Sid, s.Action, s.Resource])).toEqual([
      ["LogInToTheRegistry", "ecr:GetAuthorizationToken", "*"],
      [
        "PushAndReadImagesOfThisEnvironment",
        [
          "ecr:BatchCheckLayerAvailability",
          "ecr:InitiateLayerUpload",
          "ecr:UploadLayerPart",
          "ecr:CompleteLayerUpload",
          "ecr:PutImage",
          "ecr:BatchGetImage",
          "ecr:GetDownloadUrlForLayer",
          "ecr:DescribeImages",
          "ecr:DescribeImageScanFindings",
        ],
        [
          expect.stringMatching(
            /^arn:\$\{data\.aws_partition\.[\w-]+\.partition\}:ecr:eu-west-1:\$\{data\.aws_caller_identity\.[\w-]+\.account_id\}:repository\/prod-\*$/,
          ),
        ],
      ],
    ]);
    // No repository administration, no deletion: Terraform owns the repositories.
    const actions = statements.flatMap((s) => [s.Action ?? []].flat());
    expect(actions.filter((a) => /Delete|Create|SetRepositoryPolicy|PutLifecyclePolicy|\*/.test(a))).toEqual(
      [],
    );
  });

  it("creates no IAM users or access keys", () => {
    const { json } = build();
    expect(resources(json, "aws_iam_user")).toEqual({});
    expect(resources(json, "aws_iam_access_key")).toEqual({});
  });

  it("rejects bad props, naming the prop and value", () => {
    expect(() => build({ repository: "acme/*" })).toThrow(
      'CiIdentity: repository must be one GitHub repository as "owner/name", with no wildcard, got "acme/*"',
    );
    expect(() => build({ planSubjects: ["*"] })).toThrow(/CiIdentity: planSubjects\[0\] must be .* got "\*"/);
    expect(() => build({ planSubjects: ["repo:acme/platform:pull_request"] })).toThrow(/planSubjects\[0\]/);
    expect(() => build({ protectedEnvironment: "prod*" })).toThrow(/protectedEnvironment .* got "prod\*"/);
    expect(() => build({ protectedBranch: "refs/heads/main" })).toThrow(
      /protectedBranch .* got "refs\/heads\/main"/,
    );
    expect(() => build({ applyServices: ["iam"] })).toThrow(/CiIdentity: applyServices\[0\] .* got "iam"/);
    expect(() => build({ applyServices: ["*"] })).toThrow(/applyServices\[0\]/);
    expect(() => build({ stateBucketArn: "my-bucket" })).toThrow(
      /stateBucketArn must be an S3 bucket ARN .* got "my-bucket"/,
    );
    expect(() => build({ stateKmsKeyArn: "alias/x" })).toThrow(/stateKmsKeyArn must be a KMS key ARN/);
    expect(() => build({ oidcProviderArn: "arn:aws:iam::111111111111:oidc-provider/example.com" })).toThrow(
      /oidcProviderArn must be the ARN of the token\.actions\.githubusercontent\.com OIDC provider/,
    );
    expect(() => build({ regions: [] })).toThrow("CiIdentity: regions must be at least one region, got []");
    expect(() => build({ maxSessionDurationSeconds: 60 })).toThrow(/maxSessionDurationSeconds .* got 60/);
    expect(() => build({ registryWorkflows: [".github/workflows/build.yml@refs/heads/main"] })).toThrow(
      /CiIdentity: registryWorkflows\[0\] must be a workflow file .* got ".github\/workflows\/build.yml@refs\/heads\/main"/,
    );
    expect(() => build({ registryWorkflows: ["build.yml"], registryBranch: "main" })).toThrow(
      /registryWorkflows\[0\]/,
    );
    expect(() => build({ registryBranch: "refs/heads/main" })).toThrow(
      /registryBranch .* got "refs\/heads\/main"/,
    );
  });
});
