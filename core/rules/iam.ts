import { referencedNames } from "./database.ts";
import { excerpt, isAdminStatement, list, type PolicyStatement, readPolicy } from "./policy-document.ts";
import { mayAllow, type ProbeRequest, surelyDenied } from "./policy-evaluate.ts";
import { isBootstrapStack } from "./stack-environment.ts";
import { type ResourceBlock, type Rule, type RuleViolation, resourcesOf, violation } from "./types.ts";

/** Identity policies that hold a document in `policy`. */
const POLICY_RESOURCES = [
  "aws_iam_policy",
  "aws_iam_role_policy",
  "aws_iam_user_policy",
  "aws_iam_group_policy",
];
/** Attachments that name one managed policy in `policy_arn`. */
const ATTACHMENT_RESOURCES = [
  "aws_iam_role_policy_attachment",
  "aws_iam_policy_attachment",
  "aws_iam_user_policy_attachment",
  "aws_iam_group_policy_attachment",
];
const ADMIN_POLICY = /:policy\/AdministratorAccess$/;
const DATA_DOC_REF = /^\$\{data\.aws_iam_policy_document\.[\w-]+\.(json|minified_json)\}$/;

const GITHUB = "token.actions.githubusercontent.com";
const SUBJECT = /^repo:([^/:*?]+\/[^/:*?]+):(.+)$/;

const iamNoAdmin: Rule = {
  id: "iam-no-admin",
  description:
    "No IAM policy allows every action on every resource, and no role, user or group gets AdministratorAccess.",
  check(stack) {
    const out: RuleViolation[] = [];
    const checkStatements = (block: ResourceBlock, statements: readonly PolicyStatement[], where: string) => {
      statements.forEach((s, i) => {
        if (isAdminStatement(s)) {
          out.push(
            violation(
              iamNoAdmin.id,
              stack,
              block,
              `${where} statement ${i + 1} allows ${s.notActions.length > 0 ? "NotAction" : "'*'"} on ${
                s.notResources.length > 0 ? "NotResource" : "'*'"
              }; grant named service actions on named resources instead`,
            ),
          );
        }
      });
    };
    const checkPolicy = (block: ResourceBlock, value: unknown, where: string) => {
      // Documents from data.aws_iam_policy_document are checked once, at the data block itself.
      if (typeof value === "string" && DATA_DOC_REF.test(value.trim())) {
        const read = readPolicy(stack, value);
        if (!read.ok) out.push(violation(iamNoAdmin.id, stack, block, `${where}: ${read.reason}`));
        return;
      }
      const read = readPolicy(stack, value);
      if (!read.ok) {
        out.push(violation(iamNoAdmin.id, stack, block, `${where} cannot be checked: ${read.reason}`));
        return;
      }
      checkStatements(block, read.statements, where);
    };

    for (const block of resourcesOf(stack, ...POLICY_RESOURCES))
      checkPolicy(block, block.config.policy, "policy");
    for (const block of resourcesOf(stack, "aws_iam_role")) {
      list(block.config.inline_policy).forEach((p, i) => {
        checkPolicy(block, (p as Record<string, unknown>).policy, `inline_policy ${i + 1}`);
      });
      for (const arn of list(block.config.managed_policy_arns)) {
        if (typeof arn === "string" && ADMIN_POLICY.test(arn)) {
          out.push(violation(iamNoAdmin.id, stack, block, `managed_policy_arns includes ${arn}`));
        }
      }
    }
    for (const block of resourcesOf(stack, ...ATTACHMENT_RESOURCES)) {
      const arn = block.config.policy_arn;
      if (typeof arn === "string" && ADMIN_POLICY.test(arn)) {
        out.push(violation(iamNoAdmin.id, stack, block, `attaches ${arn}`));
      }
    }
    for (const block of resourcesOf(stack, "aws_iam_role_policy_attachments_exclusive")) {
      for (const arn of list(block.config.policy_arns)) {
        if (typeof arn === "string" && ADMIN_POLICY.test(arn)) {
          out.push(violation(iamNoAdmin.id, stack, block, `policy_arns includes ${arn}`));
        }
      }
    }
    for (const [name, config] of Object.entries(stack.json.data?.aws_iam_policy_document ?? {})) {
      const block = {
        type: "aws_iam_policy_document",
        name,
        address: `data.aws_iam_policy_document.${name}`,
        config,
      };
      const read = readPolicy(stack, `\${data.aws_iam_policy_document.${name}.json}`);
      if (!read.ok) out.push(violation(iamNoAdmin.id, stack, block, `cannot be checked: ${read.reason}`));
      else checkStatements(block, read.statements, "document");
    }
    return out;
  },
};

const iamNoUserKeys: Rule = {
  id: "iam-no-user-keys",
  description:
    "No IAM users or access keys: people and CI get short-lived role sessions (SSO, OIDC) instead.",
  check(stack) {
    return resourcesOf(stack, "aws_iam_user", "aws_iam_access_key").map((block) =>
      violation(
        iamNoUserKeys.id,
        stack,
        block,
        `${block.type} creates long-lived credentials; use a role assumed through OIDC or SSO`,
      ),
    );
  },
};

/** Whether a trust statement lets GitHub Actions tokens in. */
function trustsGitHub(stack: Parameters<Rule["check"]>[0], s: PolicyStatement): boolean {
  if (s.conditions.some((c) => c.variable.startsWith(`${GITHUB}:`))) return true;
  return s.principals.some(
    (p) =>
      p.type === "Federated" &&
      p.identifiers.some((id) => {
        if (id.includes(GITHUB)) return true;
        const ref = /^\$\{aws_iam_openid_connect_provider\.([\w-]+)\.arn\}$/.exec(id);
        const provider = ref
          ? stack.json.resource?.aws_iam_openid_connect_provider?.[ref[1] as string]
          : undefined;
        return typeof provider?.url === "string" && provider.url.includes(GITHUB);
      }),
  );
}

/** Problems with one GitHub trust statement's audience and subject conditions. */
function trustProblems(s: PolicyStatement): string[] {
  const problems: string[] = [];
  const aud = s.conditions.filter((c) => c.variable === `${GITHUB}:aud`);
  if (!aud.some((c) => c.test === "StringEquals" && c.values.length > 0)) {
    problems.push(`has no StringEquals condition on ${GITHUB}:aud`);
  }
  for (const c of aud) {
    if (c.values.some((v) => v !== "sts.amazonaws.com")) {
      problems.push(`${GITHUB}:aud must be exactly "sts.amazonaws.com", got ${JSON.stringify(c.values)}`);
    }
  }
  const sub = s.conditions.filter((c) => c.variable === `${GITHUB}:sub`);
  if (sub.length === 0)
    problems.push(`has no condition on ${GITHUB}:sub, so any repository on GitHub could assume it`);
  const repos = new Set<string>();
  for (const c of sub) {
    if (c.test !== "StringEquals" && c.test !== "StringLike") {
      problems.push(`${GITHUB}:sub uses ${c.test}; use StringEquals (or StringLike without a bare '*')`);
    }
    if (c.values.length === 0) problems.push(`${GITHUB}:sub condition lists no subject`);
    for (const value of c.values) {
      const match = SUBJECT.exec(value);
      if (!match) {
        problems.push(`subject "${value}" does not name one repository as repo:<owner>/<name>:<context>`);
        continue;
      }
      repos.add(match[1] as string);
      const context = match[2] as string;
      if (c.test === "StringLike" && /^[*?]+$/.test(context)) {
        problems.push(
          `subject "${value}" trusts every branch, environment and pull request of the repository`,
        );
      }
    }
  }
  if (repos.size > 1)
    problems.push(`subjects name ${repos.size} repositories (${[...repos].join(", ")}); trust one`);
  return problems;
}

const oidcTrustScoped: Rule = {
  id: "oidc-trust-scoped",
  description:
    "Every role GitHub Actions can assume requires aud = sts.amazonaws.com (StringEquals) and a sub naming one repository, with no bare wildcard.",
  check(stack) {
    const out: RuleViolation[] = [];
    for (const block of resourcesOf(stack, "aws_iam_role")) {
      const read = readPolicy(stack, block.config.assume_role_policy);
      if (!read.ok) {
        out.push(
          violation(oidcTrustScoped.id, stack, block, `assume_role_policy cannot be checked: ${read.reason}`),
        );
        continue;
      }
      read.statements.forEach((s, i) => {
        if (s.effect !== "Allow" || !trustsGitHub(stack, s)) return;
        for (const problem of trustProblems(s)) {
          out.push(violation(oidcTrustScoped.id, stack, block, `trust statement ${i + 1} ${problem}`));
        }
      });
    }
    return out;
  },
};

const iamRoleHasBoundary: Rule = {
  id: "iam-role-has-boundary",
  description:
    "Every IAM role outside a bootstrap stack carries a permissions boundary, the only kind the CI apply role may create.",
  check(stack) {
    // Bootstrap creates the CI roles themselves and is applied by an administrator, not by CI.
    if (isBootstrapStack(stack)) return [];
    const out: RuleViolation[] = [];
    for (const block of resourcesOf(stack, "aws_iam_role")) {
      const boundary = block.config.permissions_boundary;
      if (boundary === undefined || boundary === null || boundary === "") {
        out.push(
          violation(
            iamRoleHasBoundary.id,
            stack,
            block,
            "has no permissions_boundary; the CI apply role cannot create it, and without one the role is not capped",
          ),
        );
      } else if (typeof boundary !== "string" || boundary.trim() === "") {
        out.push(
          violation(
            iamRoleHasBoundary.id,
            stack,
            block,
            `permissions_boundary cannot be checked: expected a policy ARN, got ${excerpt(boundary)}`,
          ),
        );
      }
    }
    return out;
  },
};

/** Every identity-policy document of a stack, with the block holding it. */
function identityPolicies(stack: Parameters<Rule["check"]>[0]) {
  const out: { block: ResourceBlock; statements: readonly PolicyStatement[] | undefined; reason?: string }[] =
    [];
  for (const block of resourcesOf(stack, ...POLICY_RESOURCES)) {
    const read = readPolicy(stack, block.config.policy);
    out.push(
      read.ok
        ? { block, statements: read.statements }
        : { block, statements: undefined, reason: read.reason },
    );
  }
  return out;
}

/** Names of the managed policies this stack uses as permissions boundaries (by ARN, in conditions or on roles). */
function boundaryPolicyNames(stack: Parameters<Rule["check"]>[0]): Set<string> {
  const arns: string[] = [];
  for (const { statements } of identityPolicies(stack))
    for (const s of statements ?? [])
      for (const c of s.conditions) if (c.variable === "iam:PermissionsBoundary") arns.push(...c.values);
  for (const role of resourcesOf(stack, "aws_iam_role"))
    if (typeof role.config.permissions_boundary === "string") arns.push(role.config.permissions_boundary);
  return new Set(
    arns.map((arn) => /:policy\/(?:.*\/)?([^/]+)$/.exec(arn)?.[1]).filter((n): n is string => !!n),
  );
}

/** A region no environment uses, an account no environment is, to probe what a boundary lets out. */
const PROBE_REGION = "xx-probe-1";
const PROBE_ACCOUNT = "000000000000";

/** Requests a permissions boundary must refuse, each with what it would let a bounded role do. */
function boundaryProbes(regions: readonly string[]): { request: ProbeRequest; escape: string }[] {
  const inRegion = (region: string) => ({ "aws:RequestedRegion": region });
  const home = regions[0] ?? "<provider-region>";
  return [
    {
      request: {
        action: "sts:AssumeRole",
        resource: `arn:aws:iam::${PROBE_ACCOUNT}:role/admin`,
        context: inRegion(home),
      },
      escape: "assume roles outside the environment (sts:AssumeRole beyond role/{env}-*)",
    },
    ...["ssm:SendCommand", "ssm:StartSession", "ssm:StartAutomationExecution"].map((action) => ({
      request: { action, resource: "*", context: inRegion(home) },
      escape: `run commands on instances (${action})`,
    })),
    {
      request: {
        action: "kms:PutKeyPolicy",
        resource: `arn:aws:kms:${home}:${PROBE_ACCOUNT}:key/probe`,
        context: inRegion(home),
      },
      escape: "rewrite key policies (kms:PutKeyPolicy)",
    },
    {
      request: { action: "ec2:RunInstances", resource: "*", context: inRegion(PROBE_REGION) },
      escape: "act in any region (no aws:RequestedRegion condition)",
    },
    {
      request: {
        action: "iam:CreateRole",
        resource: `arn:aws:iam::${PROBE_ACCOUNT}:role/x`,
        context: inRegion(home),
      },
      escape: "write IAM (iam:CreateRole)",
    },
  ];
}

/** The region values a boundary's Allow statements condition on. */
function conditionedRegions(statements: readonly PolicyStatement[]): string[] {
  return statements.flatMap((s) =>
    s.conditions.filter((c) => c.variable === "aws:RequestedRegion").flatMap((c) => c.values),
  );
}

const iamBoundaryNoEscalation: Rule = {
  id: "iam-boundary-no-escalation",
  description:
    "A permissions boundary the CI apply role grants within refuses every way out: assuming roles outside role/{env}-*, SSM command execution, kms:PutKeyPolicy, IAM writes, and any region but the environment's.",
  check(stack) {
    const names = boundaryPolicyNames(stack);
    const out: RuleViolation[] = [];
    for (const block of resourcesOf(stack, "aws_iam_policy")) {
      if (typeof block.config.name !== "string" || !names.has(block.config.name)) continue;
      const read = readPolicy(stack, block.config.policy);
      if (!read.ok) {
        out.push(
          violation(iamBoundaryNoEscalation.id, stack, block, `boundary cannot be checked: ${read.reason}`),
        );
        continue;
      }
      for (const probe of boundaryProbes(conditionedRegions(read.statements))) {
        if (mayAllow(read.statements, probe.request))
          out.push(
            violation(
              iamBoundaryNoEscalation.id,
              stack,
              block,
              `boundary lets a bounded role ${probe.escape}`,
            ),
          );
      }
    }
    return out;
  },
};

const iamNoIdentityProviderGrant: Rule = {
  id: "iam-no-identity-provider-grant",
  description:
    "No identity policy lets its holder register an OIDC or SAML identity provider (workloads use EKS Pod Identity), which would let a new issuer's tokens in.",
  check(stack) {
    const out: RuleViolation[] = [];
    for (const { block, statements } of identityPolicies(stack)) {
      if (!statements) continue; // iam-no-admin reports unreadable documents
      const oidc = (host: string) => `arn:aws:iam::${PROBE_ACCOUNT}:oidc-provider/${host}`;
      const probes: [string, string[]][] = [
        [
          "iam:CreateOpenIDConnectProvider",
          [oidc(`oidc.eks.${PROBE_REGION}.amazonaws.com/id/PROBE`), oidc("probe.example.com")],
        ],
        ["iam:CreateSAMLProvider", [`arn:aws:iam::${PROBE_ACCOUNT}:saml-provider/probe`]],
      ];
      const granted = probes
        .filter(([action, resources]) =>
          resources.some((resource) => mayAllow(statements, { action, resource })),
        )
        .map(([action]) => action);
      if (granted.length > 0)
        out.push(
          violation(
            iamNoIdentityProviderGrant.id,
            stack,
            block,
            `allows ${granted.join(" and ")}; Pod Identity needs no identity provider`,
          ),
        );
    }
    return out;
  },
};

const READ_ONLY_ACCESS = /:policy\/ReadOnlyAccess$/;
/** A job_workflow_ref pinned to one workflow file on one branch or tag, no wildcard. */
const PINNED_WORKFLOW = /^[^/*?]+\/[^/*?]+\/\.github\/workflows\/[^/*?@]+\.ya?ml@refs\/(heads|tags)\/[^*?]+$/;

/** Reads a plan role must be refused, whatever ReadOnlyAccess grants. */
const PLAN_DENIED_READS: readonly ProbeRequest[] = [
  {
    action: "secretsmanager:GetSecretValue",
    resource: `arn:aws:secretsmanager:${PROBE_REGION}:${PROBE_ACCOUNT}:secret:probe`,
  },
  {
    action: "ssm:GetParameter",
    resource: `arn:aws:ssm:${PROBE_REGION}:${PROBE_ACCOUNT}:parameter/probe/secure`,
  },
  {
    action: "ssm:GetParametersByPath",
    resource: `arn:aws:ssm:${PROBE_REGION}:${PROBE_ACCOUNT}:parameter/probe`,
  },
  ...["logs:GetLogEvents", "logs:FilterLogEvents", "logs:StartQuery"].map((action) => ({
    action,
    resource: `arn:aws:logs:${PROBE_REGION}:${PROBE_ACCOUNT}:log-group:probe:*`,
  })),
];

const ciPlanRoleConfined: Rule = {
  id: "ci-plan-role-confined",
  description:
    "A read-only role GitHub Actions may assume (the plan role) trusts only a pinned reusable workflow (job_workflow_ref), and denies reading secrets, parameters and log events.",
  check(stack) {
    const out: RuleViolation[] = [];
    const attachments = resourcesOf(stack, "aws_iam_role_policy_attachment");
    const inline = identityPolicies(stack).filter((p) => p.block.type === "aws_iam_role_policy");
    for (const role of resourcesOf(stack, "aws_iam_role")) {
      const trust = readPolicy(stack, role.config.assume_role_policy);
      if (!trust.ok) continue; // oidc-trust-scoped reports it
      const github = trust.statements.filter((s) => s.effect === "Allow" && trustsGitHub(stack, s));
      if (github.length === 0) continue;
      const refersToRole = (value: unknown) =>
        referencedNames(value, "aws_iam_role", "(?:id|name)").includes(role.name) ||
        (typeof value === "string" && value === role.config.name);
      const readOnly =
        attachments.some(
          (a) => refersToRole(a.config.role) && READ_ONLY_ACCESS.test(String(a.config.policy_arn)),
        ) || list(role.config.managed_policy_arns).some((arn) => READ_ONLY_ACCESS.test(String(arn)));
      const forPullRequests = github.some((s) =>
        s.conditions.some(
          (c) => c.variable === `${GITHUB}:sub` && c.values.some((v) => v.endsWith(":pull_request")),
        ),
      );
      if (!readOnly && !forPullRequests) continue;
      github.forEach((s, i) => {
        const refs = s.conditions.filter((c) => c.variable === `${GITHUB}:job_workflow_ref`);
        const pinned =
          refs.length > 0 &&
          refs.every(
            (c) =>
              c.test === "StringEquals" &&
              c.values.length > 0 &&
              c.values.every((v) => PINNED_WORKFLOW.test(v)),
          );
        if (!pinned)
          out.push(
            violation(
              ciPlanRoleConfined.id,
              stack,
              role,
              `trust statement ${i + 1} does not require a StringEquals ${GITHUB}:job_workflow_ref naming one reusable workflow at a branch or tag, so a pull request's own workflow file gets the role`,
            ),
          );
      });
      const statements = inline
        .filter((p) => refersToRole(p.block.config.role))
        .flatMap((p) => p.statements ?? []);
      const open = PLAN_DENIED_READS.filter((request) => !surelyDenied(statements, request)).map(
        (r) => r.action,
      );
      if (open.length > 0)
        out.push(
          violation(
            ciPlanRoleConfined.id,
            stack,
            role,
            `no explicit Deny of ${[...new Set(open)].join(", ")}; ReadOnlyAccess would let pull-request code read them`,
          ),
        );
    }
    return out;
  },
};

/**
 * Rules for IAM: least privilege, no long-lived keys, GitHub OIDC trust scoped to one repository,
 * and a permissions boundary on every role CI creates.
 */
export const iamRules: readonly Rule[] = [
  iamNoAdmin,
  iamNoUserKeys,
  oidcTrustScoped,
  iamRoleHasBoundary,
  iamBoundaryNoEscalation,
  iamNoIdentityProviderGrant,
  ciPlanRoleConfined,
];
