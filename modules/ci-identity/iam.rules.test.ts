import { DataAwsIamPolicyDocument } from "@cdktf/provider-aws/lib/data-aws-iam-policy-document";
import { IamAccessKey } from "@cdktf/provider-aws/lib/iam-access-key";
import { IamRole } from "@cdktf/provider-aws/lib/iam-role";
import { IamUser } from "@cdktf/provider-aws/lib/iam-user";
import { Fn, type TerraformStack } from "cdktf";
import { describe, expect, it } from "vitest";
import { iamRules } from "../../core/rules/iam.ts";
import { runRules } from "../../core/rules/run.ts";
import { StateBackend } from "../state-backend/state-backend.ts";
import { synthStack, testStack } from "../test/stack.ts";
import { CiIdentity } from "./ci-identity.ts";
import { WorkloadBoundary } from "./workload-boundary.ts";

const GITHUB = "token.actions.githubusercontent.com";
/** A Terraform interpolation as it appears in synthesized JSON. */
const tf = (expression: string) => ["$", "{", expression, "}"].join("");

function bootstrap() {
  const stack = testStack("dev", "dev-bootstrap");
  const state = new StateBackend(stack, "state", { accountId: "111111111111", region: "eu-west-1" });
  const ci = new CiIdentity(stack, "ci", {
    repository: "acme/platform",
    stateBucketArn: state.bucketArn,
    stateKmsKeyArn: state.kmsKeyArn,
  });
  return { stack, ci };
}

function violations(stack: TerraformStack) {
  return runRules([synthStack(stack)], iamRules);
}

/** A child resource of a construct, for deliberately weakening it. */
function child(scope: { node: { findChild(id: string): unknown } }, id: string) {
  return scope.node.findChild(id) as { addOverride(path: string, value: unknown): void };
}

const policy = (...Statement: object[]) => JSON.stringify({ Version: "2012-10-17", Statement });

function githubTrust(condition: Record<string, Record<string, unknown>>) {
  return policy({
    Effect: "Allow",
    Principal: { Federated: `arn:aws:iam::111111111111:oidc-provider/${GITHUB}` },
    Action: "sts:AssumeRoleWithWebIdentity",
    Condition: condition,
  });
}

describe("IAM rules", () => {
  it("pass on the default CI identity and state backend", () => {
    expect(violations(bootstrap().stack)).toEqual([]);
  });

  describe("iam-no-admin", () => {
    it("trips on an inline role policy allowing * on *", () => {
      const { stack, ci } = bootstrap();
      child(ci, "apply-policy").addOverride(
        "policy",
        policy({ Effect: "Allow", Action: "*", Resource: "*" }),
      );
      const found = violations(stack).filter((v) => v.rule === "iam-no-admin");
      expect(found).toHaveLength(1);
      expect(found[0]).toMatchObject({ rule: "iam-no-admin", stack: "dev-bootstrap" });
      expect(found[0]?.address).toMatch(/^aws_iam_role_policy\.ci_apply-policy_/);
      expect(found[0]?.message).toContain("statement 1 allows '*' on '*'");
    });

    it("trips on Allow with NotAction on every resource, but not on a Deny", () => {
      const { stack, ci } = bootstrap();
      child(ci, "plan-state").addOverride(
        "policy",
        policy(
          { Effect: "Deny", Action: "*", Resource: "*" },
          { Effect: "Allow", NotAction: "iam:*", Resource: "*" },
        ),
      );
      const found = violations(stack);
      expect(found.map((v) => v.message)).toEqual([
        "policy statement 2 allows NotAction on '*'; grant named service actions on named resources instead",
      ]);
    });

    it("trips on an AdministratorAccess attachment", () => {
      const { stack, ci } = bootstrap();
      child(ci, "plan-read-only").addOverride("policy_arn", "arn:aws:iam::aws:policy/AdministratorAccess");
      const found = violations(stack);
      expect(found.map((v) => [v.rule, v.message])).toEqual([
        ["iam-no-admin", "attaches arn:aws:iam::aws:policy/AdministratorAccess"],
      ]);
    });

    it("trips on AdministratorAccess in a role's managed_policy_arns", () => {
      const { stack, ci } = bootstrap();
      child(ci, "apply-role").addOverride("managed_policy_arns", [
        "arn:aws:iam::aws:policy/AdministratorAccess",
      ]);
      expect(violations(stack).map((v) => v.rule)).toEqual(["iam-no-admin"]);
    });

    it("reads data aws_iam_policy_document statements, once, at the data block", () => {
      const { stack, ci } = bootstrap();
      const doc = new DataAwsIamPolicyDocument(stack, "wide", {
        statement: [{ actions: ["*"], resources: ["*"] }],
      });
      child(ci, "apply-policy").addOverride("policy", doc.json);
      const found = violations(stack).filter((v) => v.rule === "iam-no-admin");
      expect(found).toHaveLength(1);
      expect(found[0]?.address).toBe("data.aws_iam_policy_document.wide");
    });

    it("passes a scoped data aws_iam_policy_document", () => {
      const { stack, ci } = bootstrap();
      const doc = new DataAwsIamPolicyDocument(stack, "narrow", {
        statement: [
          { actions: ["sqs:SendMessage"], resources: ["arn:aws:sqs:eu-west-1:111111111111:dev-orders"] },
        ],
      });
      child(ci, "apply-policy").addOverride("policy", doc.json);
      expect(violations(stack)).toEqual([]);
    });

    it("fails closed on a policy it cannot read", () => {
      const { stack, ci } = bootstrap();
      child(ci, "apply-policy").addOverride("policy", Fn.jsonencode({ Statement: [{ Action: "*" }] }));
      const found = violations(stack);
      expect(found.map((v) => v.rule)).toEqual(["iam-no-admin"]);
      expect(found[0]?.message).toContain("cannot be checked");
    });
  });

  describe("iam-no-user-keys", () => {
    it("trips on an IAM user and on an access key", () => {
      const { stack } = bootstrap();
      const user = new IamUser(stack, "deployer", { name: "deployer" });
      new IamAccessKey(stack, "deployer-key", { user: user.name });
      const found = violations(stack);
      expect(found.map((v) => [v.rule, v.address])).toEqual([
        ["iam-no-user-keys", "aws_iam_access_key.deployer-key"],
        ["iam-no-user-keys", "aws_iam_user.deployer"],
      ]);
    });
  });

  describe("oidc-trust-scoped", () => {
    const trips = (trust: string) => {
      const { stack, ci } = bootstrap();
      child(ci, "apply-role").addOverride("assume_role_policy", trust);
      return violations(stack).filter((v) => v.rule === "oidc-trust-scoped");
    };
    const aud = { [`${GITHUB}:aud`]: "sts.amazonaws.com" };

    it("trips when the sub condition is missing", () => {
      const found = trips(githubTrust({ StringEquals: aud }));
      expect(found).toHaveLength(1);
      expect(found[0]?.address).toMatch(/^aws_iam_role\.ci_apply-role_/);
      expect(found[0]?.message).toContain("no condition on token.actions.githubusercontent.com:sub");
    });

    it("trips on a wildcard repository or a bare wildcard context", () => {
      expect(
        trips(githubTrust({ StringEquals: aud, StringLike: { [`${GITHUB}:sub`]: "repo:acme/*" } })),
      ).toHaveLength(1);
      const bare = trips(
        githubTrust({ StringEquals: aud, StringLike: { [`${GITHUB}:sub`]: "repo:acme/platform:*" } }),
      );
      expect(bare.map((v) => v.message)).toEqual([
        'trust statement 1 subject "repo:acme/platform:*" trusts every branch, environment and pull request of the repository',
      ]);
      expect(trips(githubTrust({ StringEquals: aud, StringLike: { [`${GITHUB}:sub`]: "*" } }))).toHaveLength(
        1,
      );
    });

    it("trips on subjects from two repositories", () => {
      const found = trips(
        githubTrust({
          StringEquals: {
            ...aud,
            [`${GITHUB}:sub`]: ["repo:acme/platform:pull_request", "repo:other/x:pull_request"],
          },
        }),
      );
      expect(found.map((v) => v.message)).toEqual([
        "trust statement 1 subjects name 2 repositories (acme/platform, other/x); trust one",
      ]);
    });

    it("trips when aud is missing or only StringLike", () => {
      const sub = { [`${GITHUB}:sub`]: "repo:acme/platform:environment:dev" };
      expect(trips(githubTrust({ StringEquals: sub }))).toHaveLength(1);
      expect(
        trips(githubTrust({ StringEquals: sub, StringLike: { [`${GITHUB}:aud`]: "sts.amazonaws.com" } })),
      ).toHaveLength(1);
    });

    it("recognises a GitHub provider by reference, and leaves service roles alone", () => {
      const { stack, ci } = bootstrap();
      child(ci, "plan-role").addOverride(
        "assume_role_policy",
        policy({
          Effect: "Allow",
          Principal: { Federated: ci.oidcProviderArn },
          Action: "sts:AssumeRoleWithWebIdentity",
        }),
      );
      new IamRole(stack, "service", {
        name: "dev-eks-cluster-role",
        assumeRolePolicy: policy({
          Effect: "Allow",
          Principal: { Service: "eks.amazonaws.com" },
          Action: "sts:AssumeRole",
        }),
      });
      const found = violations(stack).filter((v) => v.rule !== "ci-plan-role-confined");
      expect(found.map((v) => v.rule)).toEqual(["oidc-trust-scoped", "oidc-trust-scoped"]);
      expect(found.every((v) => /^aws_iam_role\.ci_plan-role_/.test(v.address))).toBe(true);
      expect(found.map((v) => v.message).join("\n")).toMatch(/no StringEquals condition on .*:aud/);
    });

    it("passes a scoped trust written as a data aws_iam_policy_document", () => {
      const { stack, ci } = bootstrap();
      const doc = new DataAwsIamPolicyDocument(stack, "trust", {
        statement: [
          {
            actions: ["sts:AssumeRoleWithWebIdentity"],
            principals: [{ type: "Federated", identifiers: [ci.oidcProviderArn] }],
            condition: [
              { test: "StringEquals", variable: `${GITHUB}:aud`, values: ["sts.amazonaws.com"] },
              {
                test: "StringEquals",
                variable: `${GITHUB}:sub`,
                values: ["repo:acme/platform:environment:dev"],
              },
            ],
          },
        ],
      });
      child(ci, "apply-role").addOverride("assume_role_policy", doc.json);
      expect(violations(stack)).toEqual([]);
    });
  });

  describe("iam-role-has-boundary", () => {
    const trust = policy({
      Effect: "Allow",
      Principal: { Service: "eks.amazonaws.com" },
      Action: "sts:AssumeRole",
    });
    /** A platform stack with the boundary and one service role that carries it, as infra/ builds it. */
    function platform(stackName = "dev-platform") {
      const stack = testStack("dev", stackName);
      const boundary = new WorkloadBoundary(stack, "boundary", {
        partition: "aws",
        account: "111111111111",
        regions: ["eu-west-1"],
        stateBucketArn: "arn:aws:s3:::dev-tfstate-111111111111",
        stateKmsKeyArn: "arn:aws:kms:eu-west-1:111111111111:key/0f0e0d0c-0000-4000-8000-000000000000",
      });
      const role = new IamRole(stack, "service", {
        name: "dev-eks-cluster-role",
        assumeRolePolicy: trust,
        permissionsBoundary: `arn:aws:iam::111111111111:policy/${boundary.policyName}`,
      });
      return { stack, role };
    }
    const boundaryViolations = (stack: TerraformStack) =>
      violations(stack).filter((v) => v.rule === "iam-role-has-boundary");

    it("passes a role that carries the boundary", () => {
      expect(violations(platform().stack)).toEqual([]);
    });

    it("trips on a role without a boundary in a dev-platform stack", () => {
      const { stack, role } = platform();
      role.addOverride("permissions_boundary", null);
      const found = boundaryViolations(stack);
      expect(found).toHaveLength(1);
      expect(found[0]).toMatchObject({
        rule: "iam-role-has-boundary",
        stack: "dev-platform",
        address: "aws_iam_role.service",
      });
      expect(found[0]?.message).toContain("has no permissions_boundary");
    });

    it("fails closed on an empty or unreadable boundary", () => {
      for (const value of ["", "  ", ["arn:aws:iam::111111111111:policy/dev-role-boundary"], { arn: "x" }]) {
        const { stack, role } = platform();
        role.addOverride("permissions_boundary", value);
        expect(boundaryViolations(stack), JSON.stringify(value)).toHaveLength(1);
      }
    });

    it("leaves the bootstrap stack's CI roles alone: an administrator applies them", () => {
      const { stack, role } = platform("dev-bootstrap");
      role.addOverride("permissions_boundary", null);
      expect(boundaryViolations(stack)).toEqual([]);
      expect(boundaryViolations(bootstrap().stack)).toEqual([]);
    });
  });

  describe("iam-boundary-no-escalation", () => {
    type Stmt = { Sid?: string; Effect: string; Condition?: unknown; [k: string]: unknown };
    /** The bootstrap stack with its boundary's statements rewritten by `edit`. */
    function weakened(edit: (statements: Stmt[]) => Stmt[]) {
      const stack = testStack("dev", "dev-bootstrap");
      const state = new StateBackend(stack, "state", { accountId: "111111111111", region: "eu-west-1" });
      const ci = new CiIdentity(stack, "ci", {
        repository: "acme/platform",
        stateBucketArn: state.bucketArn,
        stateKmsKeyArn: state.kmsKeyArn,
        regions: ["eu-west-1"],
      });
      const policy = ci.node.findChild("boundary").node.findChild("policy") as unknown as {
        policyInput: string;
        addOverride(path: string, value: unknown): void;
      };
      const doc = JSON.parse(policy.policyInput) as { Statement: Stmt[] };
      policy.addOverride("policy", JSON.stringify({ ...doc, Statement: edit(doc.Statement) }));
      return violations(stack)
        .filter((v) => v.rule === "iam-boundary-no-escalation")
        .map((v) => v.message.replace("boundary lets a bounded role ", ""));
    }
    const without = (sid: string) => (all: Stmt[]) => all.filter((s) => s.Sid !== sid);

    it("passes the boundary CiIdentity builds, with its regions given or the provider's", () => {
      expect(weakened((all) => all)).toEqual([]);
      expect(violations(bootstrap().stack)).toEqual([]);
    });

    it("trips when bounded roles may assume roles outside role/{env}-*", () => {
      expect(weakened(without("DenyAssumingRolesOutsideTheEnvironment"))).toEqual([
        "assume roles outside the environment (sts:AssumeRole beyond role/{env}-*)",
      ]);
    });

    it("trips when they may run commands through SSM", () => {
      expect(weakened(without("DenySsmCommandExecution"))).toEqual([
        "run commands on instances (ssm:SendCommand)",
        "run commands on instances (ssm:StartSession)",
        "run commands on instances (ssm:StartAutomationExecution)",
      ]);
    });

    it("trips when they may rewrite key policies", () => {
      expect(weakened(without("DenyKeyPolicyChanges"))).toEqual(["rewrite key policies (kms:PutKeyPolicy)"]);
    });

    it("trips when the services are allowed in every region, or in one it cannot read", () => {
      const unconditioned = (all: Stmt[]) =>
        all.map(({ Condition, ...s }) => (s.Effect === "Allow" ? s : { ...s, Condition }));
      expect(weakened(unconditioned)).toEqual(["act in any region (no aws:RequestedRegion condition)"]);
      const unreadable = (all: Stmt[]) =>
        all.map((s) =>
          s.Sid === "AllowWorkloadServicesInTheEnvironmentsRegions"
            ? { ...s, Condition: { StringEquals: { "aws:RequestedRegion": [tf("var.region")] } } }
            : s,
        );
      expect(weakened(unreadable)).toEqual(["act in any region (no aws:RequestedRegion condition)"]);
    });

    it("trips when IAM writes are allowed", () => {
      expect(
        weakened((all) => [
          ...without("DenyIamWrites")(all),
          { Effect: "Allow", Action: "iam:*", Resource: "*" },
        ]),
      ).toEqual(["write IAM (iam:CreateRole)"]);
    });
  });

  describe("iam-no-identity-provider-grant", () => {
    it("trips on the apply role's old grant on oidc-provider/oidc.eks.*", () => {
      const { stack, ci } = bootstrap();
      child(ci, "apply-policy").addOverride(
        "policy",
        policy({
          Effect: "Allow",
          Action: "iam:*",
          Resource: `arn:${tf("data.aws_partition.p.partition")}:iam::${tf("data.aws_caller_identity.a.account_id")}:oidc-provider/oidc.eks.*`,
        }),
      );
      const found = violations(stack).filter((v) => v.rule === "iam-no-identity-provider-grant");
      expect(found.map((v) => v.message)).toEqual([
        "allows iam:CreateOpenIDConnectProvider; Pod Identity needs no identity provider",
      ]);
      expect(found[0]?.address).toMatch(/^aws_iam_role_policy\.ci_apply-policy_/);
    });

    it("passes a grant that a Deny overrides", () => {
      const { stack, ci } = bootstrap();
      child(ci, "apply-policy").addOverride(
        "policy",
        policy(
          { Effect: "Allow", Action: "iam:*", Resource: "arn:aws:iam::111111111111:oidc-provider/*" },
          {
            Effect: "Deny",
            Action: ["iam:CreateOpenIDConnectProvider", "iam:CreateSAMLProvider"],
            Resource: "*",
          },
        ),
      );
      expect(violations(stack).filter((v) => v.rule === "iam-no-identity-provider-grant")).toEqual([]);
    });
  });

  describe("ci-plan-role-confined", () => {
    const planViolations = (stack: TerraformStack) =>
      violations(stack)
        .filter((v) => v.rule === "ci-plan-role-confined")
        .map((v) => v.message);
    const aud = { [`${GITHUB}:aud`]: "sts.amazonaws.com" };
    const prSub = { [`${GITHUB}:sub`]: ["repo:acme/platform:pull_request"] };
    const pinned = {
      [`${GITHUB}:job_workflow_ref`]: "acme/platform/.github/workflows/plan-stack.yml@refs/heads/main",
    };

    it("passes the plan role CiIdentity builds", () => {
      expect(planViolations(bootstrap().stack)).toEqual([]);
    });

    it("trips when the plan role trusts any pull request without a pinned job_workflow_ref", () => {
      const noRef = bootstrap();
      child(noRef.ci, "plan-role").addOverride(
        "assume_role_policy",
        githubTrust({ StringEquals: { ...aud, ...prSub } }),
      );
      expect(planViolations(noRef.stack)).toEqual([
        `trust statement 1 does not require a StringEquals ${GITHUB}:job_workflow_ref naming one reusable workflow at a branch or tag, so a pull request's own workflow file gets the role`,
      ]);
      const wildcard = bootstrap();
      child(wildcard.ci, "plan-role").addOverride(
        "assume_role_policy",
        githubTrust({
          StringEquals: { ...aud, ...prSub },
          StringLike: { [`${GITHUB}:job_workflow_ref`]: "acme/platform/.github/workflows/*@*" },
        }),
      );
      expect(planViolations(wildcard.stack)).toHaveLength(1);
      const pr = bootstrap();
      child(pr.ci, "plan-role").addOverride(
        "assume_role_policy",
        githubTrust({
          StringEquals: {
            ...aud,
            ...prSub,
            [`${GITHUB}:job_workflow_ref`]:
              "acme/platform/.github/workflows/plan-stack.yml@refs/pull/7/merge",
          },
        }),
      );
      expect(planViolations(pr.stack)).toHaveLength(1);
      const ok = bootstrap();
      child(ok.ci, "plan-role").addOverride(
        "assume_role_policy",
        githubTrust({ StringEquals: { ...aud, ...prSub, ...pinned } }),
      );
      expect(planViolations(ok.stack)).toEqual([]);
    });

    it("trips when the plan role may read secrets, parameters or log events", () => {
      const { stack, ci } = bootstrap();
      child(ci, "plan-state").addOverride(
        "policy",
        policy({
          Effect: "Allow",
          Action: "s3:GetObject",
          Resource: "arn:aws:s3:::dev-tfstate-111111111111/*",
        }),
      );
      expect(planViolations(stack)).toEqual([
        "no explicit Deny of secretsmanager:GetSecretValue, ssm:GetParameter, ssm:GetParametersByPath, logs:GetLogEvents, logs:FilterLogEvents, logs:StartQuery; ReadOnlyAccess would let pull-request code read them",
      ]);
    });

    it("trips when the parameter Deny exempts every parameter", () => {
      const { stack, ci } = bootstrap();
      child(ci, "plan-state").addOverride(
        "policy",
        policy(
          { Effect: "Deny", Action: "secretsmanager:GetSecretValue", Resource: "*" },
          { Effect: "Deny", Action: "ssm:GetParameter*", NotResource: "arn:aws:ssm:*:*:parameter/*" },
          { Effect: "Deny", Action: "logs:*", Resource: "*" },
        ),
      );
      expect(planViolations(stack)).toEqual([
        "no explicit Deny of ssm:GetParameter, ssm:GetParametersByPath; ReadOnlyAccess would let pull-request code read them",
      ]);
    });
  });
});
