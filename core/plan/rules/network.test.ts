import { describe, expect, it } from "vitest";
import type { ChangeSpec } from "../test/plans.ts";
import { openIngressRule } from "./network.ts";
import { change, dataChange } from "./test/changes.ts";

const found = (spec: ChangeSpec) => openIngressRule(change(spec)).map((f) => [f.severity, f.reason]);

const created = (type: string, after: unknown) => found({ type, actions: ["create"], after });

const sgRule = (extra: Record<string, unknown>) =>
  created("aws_security_group_rule", { type: "ingress", protocol: "tcp", ...extra });

const tcp = (from: number, to: number, cidr = "0.0.0.0/0") => ({
  cidr_blocks: [cidr],
  from_port: from,
  to_port: to,
  protocol: "tcp",
});

describe("openIngressRule: which rules are open", () => {
  it("a finding names the rule, severity, resource and what is opened", () => {
    expect(
      openIngressRule(
        change({
          type: "aws_security_group",
          name: "web",
          actions: ["create"],
          after: { ingress: [tcp(443, 443)] },
        }),
      ),
    ).toEqual([
      {
        rule: "open-ingress",
        severity: "high",
        address: "aws_security_group.web",
        resourceType: "aws_security_group",
        reason: "opens ingress from 0.0.0.0/0 on tcp port 443.",
      },
    ]);
  });

  it("security groups and default security groups: each ingress block, IPv4 and IPv6", () => {
    for (const type of ["aws_security_group", "aws_default_security_group"]) {
      expect(
        created(type, {
          ingress: [
            { ...tcp(443, 443, "10.0.0.0/8"), ipv6_cidr_blocks: ["::/0"] },
            tcp(80, 80),
            tcp(8000, 8080, "192.168.0.0/16"),
          ],
          egress: [tcp(0, 65535)],
        }),
      ).toEqual([
        ["high", "opens ingress from ::/0 on tcp port 443."],
        ["high", "opens ingress from 0.0.0.0/0 on tcp port 80."],
      ]);
    }
  });

  it("security group rules: ingress only, IPv4 and IPv6 blocks", () => {
    expect(
      sgRule({ cidr_blocks: ["0.0.0.0/0"], ipv6_cidr_blocks: ["::/0"], from_port: 443, to_port: 443 }),
    ).toEqual([
      ["high", "opens ingress from 0.0.0.0/0 on tcp port 443."],
      ["high", "opens ingress from ::/0 on tcp port 443."],
    ]);
    expect(sgRule({ type: "egress", cidr_blocks: ["0.0.0.0/0"], from_port: 443, to_port: 443 })).toEqual([]);
    expect(sgRule({ type: undefined, cidr_blocks: ["0.0.0.0/0"], from_port: 443, to_port: 443 })).toEqual([]);
  });

  it("VPC security group ingress rules: cidr_ipv4 and cidr_ipv6, ip_protocol", () => {
    const rule = (after: unknown) => created("aws_vpc_security_group_ingress_rule", after);
    expect(rule({ cidr_ipv4: "0.0.0.0/0", ip_protocol: "tcp", from_port: 5432, to_port: 5432 })).toEqual([
      ["high", "opens ingress from 0.0.0.0/0 on tcp port 5432."],
    ]);
    expect(rule({ cidr_ipv6: "::/0", ip_protocol: "udp", from_port: 53, to_port: 53 })).toEqual([
      ["high", "opens ingress from ::/0 on udp port 53."],
    ]);
    expect(rule({ cidr_ipv4: "10.0.0.0/8", ip_protocol: "-1" })).toEqual([]);
  });

  it("NACL rules: allowed ingress only", () => {
    const rule = (after: Record<string, unknown>) =>
      created("aws_network_acl_rule", { protocol: "tcp", from_port: 443, to_port: 443, ...after });
    const open = [["high", "opens ingress from 0.0.0.0/0 on tcp port 443."]];
    expect(rule({ egress: false, rule_action: "allow", cidr_block: "0.0.0.0/0" })).toEqual(open);
    expect(rule({ rule_action: "allow", cidr_block: "0.0.0.0/0" })).toEqual(open);
    expect(rule({ egress: false, rule_action: "allow", ipv6_cidr_block: "::/0" })).toEqual([
      ["high", "opens ingress from ::/0 on tcp port 443."],
    ]);
    expect(rule({ egress: true, rule_action: "allow", cidr_block: "0.0.0.0/0" })).toEqual([]);
    expect(rule({ egress: false, rule_action: "deny", cidr_block: "0.0.0.0/0" })).toEqual([]);
    expect(rule({ egress: false, cidr_block: "0.0.0.0/0" })).toEqual([]);
  });

  it("NACLs and default NACLs: allowed ingress blocks only", () => {
    for (const type of ["aws_network_acl", "aws_default_network_acl"]) {
      const block = (action: string, cidr: Record<string, string>, from: number) => ({
        action,
        protocol: "tcp",
        from_port: from,
        to_port: from,
        ...cidr,
      });
      expect(
        created(type, {
          ingress: [
            block("deny", { cidr_block: "0.0.0.0/0" }, 1),
            block("allow", { cidr_block: "0.0.0.0/0" }, 2),
            block("allow", { ipv6_cidr_block: "::/0" }, 3),
            block("allow", { cidr_block: "10.0.0.0/8" }, 4),
          ],
          egress: [block("allow", { cidr_block: "0.0.0.0/0" }, 5)],
        }),
      ).toEqual([
        ["high", "opens ingress from 0.0.0.0/0 on tcp port 2."],
        ["high", "opens ingress from ::/0 on tcp port 3."],
      ]);
    }
  });

  it("other resource types, data sources and changes that write nothing are never checked", () => {
    expect(created("aws_instance", { ingress: [tcp(22, 22)] })).toEqual([]);
    expect(created("aws_lb_listener", { type: "ingress", cidr_blocks: ["0.0.0.0/0"] })).toEqual([]);
    expect(
      openIngressRule(
        dataChange({ type: "aws_security_group", actions: ["read"], after: { ingress: [tcp(22, 22)] } }),
      ),
    ).toEqual([]);
    expect(
      found({ type: "aws_security_group", actions: ["delete"], before: { ingress: [tcp(22, 22)] } }),
    ).toEqual([]);
    expect(
      found({
        type: "aws_security_group",
        actions: ["no-op"],
        before: { ingress: [tcp(22, 22)] },
        after: { ingress: [tcp(22, 22)] },
      }),
    ).toEqual([]);
  });
});

describe("openIngressRule: what counts as newly opened", () => {
  it("a rule open before is not reported again; a new port, protocol or CIDR on it is", () => {
    const update = (before: unknown[], after: unknown[]) =>
      found({
        type: "aws_security_group",
        actions: ["update"],
        before: { ingress: before },
        after: { ingress: after },
      });
    expect(update([tcp(443, 443)], [tcp(443, 443)])).toEqual([]);
    expect(update([tcp(443, 443)], [tcp(443, 443), tcp(80, 80)])).toEqual([
      ["high", "opens ingress from 0.0.0.0/0 on tcp port 80."],
    ]);
    expect(update([tcp(443, 443)], [tcp(443, 444)])).toEqual([
      ["high", "opens ingress from 0.0.0.0/0 on tcp ports 443-444."],
    ]);
    expect(update([tcp(443, 443)], [tcp(442, 443)])).toEqual([
      ["high", "opens ingress from 0.0.0.0/0 on tcp ports 442-443."],
    ]);
    expect(update([tcp(443, 443)], [{ ...tcp(443, 443), protocol: "udp" }])).toEqual([
      ["high", "opens ingress from 0.0.0.0/0 on udp port 443."],
    ]);
    expect(update([tcp(443, 443, "::/0")], [tcp(443, 443)])).toEqual([
      ["high", "opens ingress from 0.0.0.0/0 on tcp port 443."],
    ]);
    expect(update([tcp(443, 443, "10.0.0.0/8")], [tcp(443, 443)])).toEqual([
      ["high", "opens ingress from 0.0.0.0/0 on tcp port 443."],
    ]);
  });

  it("the same open rule in two blocks is reported once", () => {
    expect(
      created("aws_security_group", {
        ingress: [
          tcp(443, 443),
          { ...tcp(443, 443), description: "again" },
          { ...tcp(443, 443), cidr_blocks: ["0.0.0.0/0", "0.0.0.0/0"] },
        ],
      }),
    ).toEqual([["high", "opens ingress from 0.0.0.0/0 on tcp port 443."]]);
  });
});

describe("openIngressRule: protocols, ports and severity", () => {
  it("protocol -1 or all means every port, whatever the ports say; it is critical", () => {
    expect(sgRule({ protocol: "-1", cidr_blocks: ["0.0.0.0/0"], from_port: 443, to_port: 443 })).toEqual([
      ["critical", "opens ingress from 0.0.0.0/0 on all protocols all ports."],
    ]);
    expect(sgRule({ protocol: "all", cidr_blocks: ["0.0.0.0/0"], from_port: 443, to_port: 443 })).toEqual([
      ["critical", "opens ingress from 0.0.0.0/0 on all protocols all ports."],
    ]);
  });

  it("protocol all and -1 are the same rule: switching between them opens nothing", () => {
    const nacl = (protocol: string) => ({
      ingress: [{ action: "allow", cidr_block: "0.0.0.0/0", protocol }],
    });
    const update = (before: string, after: string) =>
      found({ type: "aws_network_acl", actions: ["update"], before: nacl(before), after: nacl(after) });
    expect(update("-1", "all")).toEqual([]);
    expect(update("all", "-1")).toEqual([]);
    expect(update("tcp", "all")).toEqual([
      ["critical", "opens ingress from 0.0.0.0/0 on all protocols all ports."],
    ]);
  });

  it("a missing protocol is every protocol; ip_protocol is read when protocol is absent", () => {
    expect(sgRule({ protocol: undefined, cidr_blocks: ["0.0.0.0/0"], from_port: 443, to_port: 443 })).toEqual(
      [["critical", "opens ingress from 0.0.0.0/0 on all protocols all ports."]],
    );
    expect(
      sgRule({
        protocol: undefined,
        ip_protocol: "udp",
        cidr_blocks: ["0.0.0.0/0"],
        from_port: 53,
        to_port: 53,
      }),
    ).toEqual([["high", "opens ingress from 0.0.0.0/0 on udp port 53."]]);
    expect(
      sgRule({ protocol: "tcp", ip_protocol: "udp", cidr_blocks: ["0.0.0.0/0"], from_port: 53, to_port: 53 }),
    ).toEqual([["high", "opens ingress from 0.0.0.0/0 on tcp port 53."]]);
  });

  it("missing ports default to the whole range", () => {
    expect(sgRule({ cidr_blocks: ["0.0.0.0/0"] })).toEqual([
      ["critical", "opens ingress from 0.0.0.0/0 on tcp all ports."],
    ]);
    expect(sgRule({ cidr_blocks: ["0.0.0.0/0"], from_port: 3390 })).toEqual([
      ["high", "opens ingress from 0.0.0.0/0 on tcp ports 3390-65535."],
    ]);
    expect(sgRule({ cidr_blocks: ["0.0.0.0/0"], to_port: 21 })).toEqual([
      ["high", "opens ingress from 0.0.0.0/0 on tcp ports 0-21."],
    ]);
    expect(sgRule({ cidr_blocks: ["0.0.0.0/0"], from_port: "22", to_port: "22" })).toEqual([
      ["critical", "opens ingress from 0.0.0.0/0 on tcp all ports."],
    ]);
  });

  it("a range that covers SSH (22) or RDP (3389) is critical; one next to them is high", () => {
    const ports = (from: number, to: number) =>
      sgRule({ cidr_blocks: ["0.0.0.0/0"], from_port: from, to_port: to })[0]?.[0];
    expect(ports(22, 22)).toBe("critical");
    expect(ports(3389, 3389)).toBe("critical");
    expect(ports(20, 22)).toBe("critical");
    expect(ports(22, 30)).toBe("critical");
    expect(ports(3000, 4000)).toBe("critical");
    expect(ports(21, 21)).toBe("high");
    expect(ports(23, 23)).toBe("high");
    expect(ports(3388, 3388)).toBe("high");
    expect(ports(3390, 3390)).toBe("high");
    expect(ports(23, 3388)).toBe("high");
    expect(ports(1, 65535)).toBe("critical");
    expect(ports(0, 65534)).toBe("critical");
    expect(ports(3390, 65535)).toBe("high");
  });

  it("0-65535 reads as all ports; other ranges name their ends", () => {
    const reason = (from: number, to: number) =>
      sgRule({ cidr_blocks: ["0.0.0.0/0"], from_port: from, to_port: to })[0]?.[1];
    expect(reason(0, 65535)).toBe("opens ingress from 0.0.0.0/0 on tcp all ports.");
    expect(reason(0, 70000)).toBe("opens ingress from 0.0.0.0/0 on tcp all ports.");
    expect(reason(1, 65535)).toBe("opens ingress from 0.0.0.0/0 on tcp ports 1-65535.");
    expect(reason(0, 65534)).toBe("opens ingress from 0.0.0.0/0 on tcp ports 0-65534.");
    expect(reason(0, 0)).toBe("opens ingress from 0.0.0.0/0 on tcp port 0.");
  });
});
