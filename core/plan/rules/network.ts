import type { Severity } from "../findings.ts";
import type { ResourceChange } from "../types.ts";
import type { PlanValue } from "../values.ts";
import { type ChangeRule, finding, get, items, strings, writes } from "./access.ts";

const OPEN = new Set(["0.0.0.0/0", "::/0"]);
const ADMIN_PORTS = [22, 3389];

interface OpenRule {
  readonly cidr: string;
  readonly protocol: string;
  readonly from: number;
  readonly to: number;
}

function port(value: PlanValue | undefined, fallback: number): number {
  return typeof value === "number" ? value : fallback;
}

function rule(block: PlanValue | undefined, cidrs: string[]): OpenRule[] {
  const given = String(get(block, "protocol") ?? get(block, "ip_protocol") ?? "-1");
  const all = given === "-1" || given === "all";
  // "all" and "-1" are one protocol: a rule rewritten from one to the other opens nothing new.
  const protocol = all ? "-1" : given;
  const from = all ? 0 : port(get(block, "from_port"), 0);
  const to = all ? 65535 : port(get(block, "to_port"), 65535);
  return cidrs.filter((c) => OPEN.has(c)).map((cidr) => ({ cidr, protocol, from, to }));
}

/** Ingress rules open to the internet in one side of a change. */
function openRules(type: string, side: PlanValue): OpenRule[] {
  // A side that is null (a create's before) reads as no attributes in every case below.
  switch (type) {
    case "aws_security_group":
    case "aws_default_security_group":
      return items(get(side, "ingress")).flatMap((b) =>
        rule(b, [...strings(get(b, "cidr_blocks")), ...strings(get(b, "ipv6_cidr_blocks"))]),
      );
    case "aws_security_group_rule":
      if (get(side, "type") !== "ingress") return [];
      return rule(side, [...strings(get(side, "cidr_blocks")), ...strings(get(side, "ipv6_cidr_blocks"))]);
    case "aws_vpc_security_group_ingress_rule":
      return rule(side, [...strings(get(side, "cidr_ipv4")), ...strings(get(side, "cidr_ipv6"))]);
    case "aws_network_acl_rule":
      if (get(side, "egress") === true || get(side, "rule_action") !== "allow") return [];
      return rule(side, [...strings(get(side, "cidr_block")), ...strings(get(side, "ipv6_cidr_block"))]);
    case "aws_network_acl":
    case "aws_default_network_acl":
      return items(get(side, "ingress"))
        .filter((b) => get(b, "action") === "allow")
        .flatMap((b) => rule(b, [...strings(get(b, "cidr_block")), ...strings(get(b, "ipv6_cidr_block"))]));
    default:
      return [];
  }
}

function key(r: OpenRule): string {
  return `${r.cidr} ${r.protocol} ${r.from}-${r.to}`;
}

/** Critical when the range takes in an admin port (every range of all ports does); high otherwise. */
function severityOf(r: OpenRule): Severity {
  return ADMIN_PORTS.some((p) => r.from <= p && p <= r.to) ? "critical" : "high";
}

function describeRule(r: OpenRule): string {
  const ports =
    r.from === 0 && r.to >= 65535
      ? "all ports"
      : r.from === r.to
        ? `port ${r.from}`
        : `ports ${r.from}-${r.to}`;
  const protocol = r.protocol === "-1" ? "all protocols" : r.protocol;
  return `${r.cidr} on ${protocol} ${ports}`;
}

/** The types openRules reads; any other type has no ingress rules. */
const INGRESS_TYPES = new Set([
  "aws_security_group",
  "aws_default_security_group",
  "aws_security_group_rule",
  "aws_vpc_security_group_ingress_rule",
  "aws_network_acl_rule",
  "aws_network_acl",
  "aws_default_network_acl",
]);

/** Security-group or NACL ingress newly opened to 0.0.0.0/0 or ::/0. */
export const openIngressRule: ChangeRule = (change: ResourceChange) => {
  // Checked first: on a large plan most changes are of other types, and the sets below cost allocations.
  if (!INGRESS_TYPES.has(change.type) || !writes(change)) return [];
  const before = new Set(openRules(change.type, change.before).map(key));
  const opened = openRules(change.type, change.after).filter((r) => !before.has(key(r)));
  const unique = new Map(opened.map((r) => [key(r), r]));
  return [...unique.values()].map((r) =>
    finding("open-ingress", severityOf(r), change, `opens ingress from ${describeRule(r)}.`),
  );
};
