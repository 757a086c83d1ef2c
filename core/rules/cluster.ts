import { blocksOf, isTrue, mayBeTrue } from "./network.ts";
import { type ResourceBlock, type Rule, resourcesOf, type SynthesizedStack, violation } from "./types.ts";

const ALL_LOG_TYPES = ["api", "audit", "authenticator", "controllerManager", "scheduler"];
/** Outside prod, who did what (audit) and who signed in (authenticator) are enough. */
const REQUIRED_LOG_TYPES = ["audit", "authenticator"];

function first(value: unknown): Record<string, unknown> {
  return blocksOf(value)[0] ?? {};
}

/** Each node group with the launch template it uses from this stack (undefined when it uses none). */
function nodeGroupTemplates(
  stack: SynthesizedStack,
): { group: ResourceBlock; template: ResourceBlock | undefined }[] {
  const templates = resourcesOf(stack, "aws_launch_template");
  return resourcesOf(stack, "aws_eks_node_group").map((group) => {
    const ref = first(group.config.launch_template);
    const target = String(ref.id ?? ref.name ?? "");
    return { group, template: templates.find((t) => target.includes(`aws_launch_template.${t.name}.`)) };
  });
}

const eksControlPlaneLogging: Rule = {
  id: "eks-control-plane-logging",
  description:
    "Every EKS cluster sends its audit and authenticator logs to CloudWatch; prod clusters send all five control-plane log types.",
  check(stack) {
    const required = stack.name.startsWith("prod-") ? ALL_LOG_TYPES : REQUIRED_LOG_TYPES;
    return resourcesOf(stack, "aws_eks_cluster").flatMap((c) => {
      const enabled = Array.isArray(c.config.enabled_cluster_log_types)
        ? c.config.enabled_cluster_log_types
        : [];
      const missing = required.filter((t) => !enabled.includes(t));
      return missing.length > 0
        ? [
            violation(
              "eks-control-plane-logging",
              stack,
              c,
              `control-plane log types not enabled: ${missing.join(", ")}`,
            ),
          ]
        : [];
    });
  },
};

const eksSecretsEncrypted: Rule = {
  id: "eks-secrets-encrypted",
  description: "Every EKS cluster envelope-encrypts Kubernetes secrets with a KMS key.",
  check(stack) {
    return resourcesOf(stack, "aws_eks_cluster")
      .filter((c) => {
        const config = first(c.config.encryption_config);
        const resources = Array.isArray(config.resources) ? config.resources : [];
        const keyArn = first(config.provider).key_arn;
        return !resources.includes("secrets") || typeof keyArn !== "string" || keyArn === "";
      })
      .map((c) =>
        violation(
          "eks-secrets-encrypted",
          stack,
          c,
          "encryption_config with a KMS key for secrets is missing",
        ),
      );
  },
};

const eksEndpointNotOpen: Rule = {
  id: "eks-endpoint-not-open",
  description:
    "No EKS API endpoint is public to the whole internet (public access needs listed CIDRs, never 0.0.0.0/0).",
  check(stack) {
    return resourcesOf(stack, "aws_eks_cluster").flatMap((c) => {
      const vpc = first(c.config.vpc_config);
      // AWS turns the public endpoint on when the field is left out; a reference might be true too.
      const off = vpc.endpoint_public_access === false || vpc.endpoint_public_access === "false";
      if (off) return [];
      const cidrs = Array.isArray(vpc.public_access_cidrs) ? vpc.public_access_cidrs : [];
      if (cidrs.length === 0) {
        return [
          violation(
            "eks-endpoint-not-open",
            stack,
            c,
            "public endpoint on with no public_access_cidrs (AWS opens it to 0.0.0.0/0)",
          ),
        ];
      }
      const open = cidrs.filter((cidr) => typeof cidr === "string" && /\/0$/.test(cidr));
      if (open.length > 0)
        return [violation("eks-endpoint-not-open", stack, c, `public endpoint open to ${open.join(", ")}`)];
      // A CIDR given as a reference cannot be checked here, and might be 0.0.0.0/0.
      const unverifiable = cidrs.filter((cidr) => typeof cidr !== "string" || cidr.includes("${"));
      return unverifiable.length > 0
        ? [
            violation(
              "eks-endpoint-not-open",
              stack,
              c,
              `public_access_cidrs must be literal CIDRs, got ${JSON.stringify(unverifiable)}`,
            ),
          ]
        : [];
    });
  },
};

const eksImdsv2Required: Rule = {
  id: "eks-imdsv2-required",
  description:
    "Launch templates require IMDSv2 with a hop limit of 1; node groups always use such a template.",
  check(stack) {
    const fromTemplates = resourcesOf(stack, "aws_launch_template").flatMap((t) => {
      const metadata = first(t.config.metadata_options);
      const problems: string[] = [];
      if (metadata.http_tokens !== "required")
        problems.push(`http_tokens is '${String(metadata.http_tokens ?? "optional")}', expected 'required'`);
      const hops = Number(metadata.http_put_response_hop_limit ?? Number.NaN);
      if (hops !== 1)
        problems.push(
          `http_put_response_hop_limit is ${String(metadata.http_put_response_hop_limit ?? "unset")}, expected 1`,
        );
      return problems.length > 0 ? [violation("eks-imdsv2-required", stack, t, problems.join("; "))] : [];
    });
    const bare = nodeGroupTemplates(stack)
      .filter((n) => n.template === undefined && blocksOf(n.group.config.launch_template).length === 0)
      .map((n) =>
        violation(
          "eks-imdsv2-required",
          stack,
          n.group,
          "node group has no launch template, so IMDSv1 stays allowed",
        ),
      );
    return [...fromTemplates, ...bare];
  },
};

const eksRootVolumeEncrypted: Rule = {
  id: "eks-root-volume-encrypted",
  description: "Node groups boot from a launch template whose block devices are all encrypted.",
  check(stack) {
    return nodeGroupTemplates(stack).flatMap(({ group, template }) => {
      if (blocksOf(group.config.launch_template).length === 0) {
        return [
          violation(
            "eks-root-volume-encrypted",
            stack,
            group,
            "node group has no launch template; its root volume encryption is not set",
          ),
        ];
      }
      if (!template) return []; // a template from another stack is checked there
      const devices = blocksOf(template.config.block_device_mappings);
      if (devices.length === 0) {
        return [
          violation(
            "eks-root-volume-encrypted",
            stack,
            template,
            "launch template sets no block device, so the root volume is not encrypted explicitly",
          ),
        ];
      }
      return devices
        .filter((d) => !isTrue(first(d.ebs).encrypted))
        .map((d) =>
          violation(
            "eks-root-volume-encrypted",
            stack,
            template,
            `block device ${String(d.device_name)} is not encrypted`,
          ),
        );
    });
  },
};

const eksNoPublicIp: Rule = {
  id: "eks-no-public-ip",
  description: "Node launch templates never associate public IP addresses.",
  check(stack) {
    return resourcesOf(stack, "aws_launch_template").flatMap((t) =>
      blocksOf(t.config.network_interfaces)
        .filter((n) => mayBeTrue(n.associate_public_ip_address))
        .map((n) =>
          violation(
            "eks-no-public-ip",
            stack,
            t,
            `a network interface sets associate_public_ip_address = ${JSON.stringify(n.associate_public_ip_address)}; it must be false or absent`,
          ),
        ),
    );
  },
};

export const clusterRules: readonly Rule[] = [
  eksControlPlaneLogging,
  eksSecretsEncrypted,
  eksEndpointNotOpen,
  eksImdsv2Required,
  eksRootVolumeEncrypted,
  eksNoPublicIp,
];
