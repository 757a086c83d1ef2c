import { excerpt, isAdminStatement, list, type PolicyStatement, readPolicy } from "./policy-document.ts";
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

/**
 * Rules for IAM: least privilege, no long-lived keys, GitHub OIDC trust scoped to one repository,
 * and a permissions boundary on every role CI creates.
 */
export const iamRules: readonly Rule[] = [iamNoAdmin, iamNoUserKeys, oidcTrustScoped, iamRoleHasBoundary];
