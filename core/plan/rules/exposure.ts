import type { RiskFinding } from "../findings.ts";
import { type PlanValue, UNKNOWN } from "../values.ts";
import { type ChangeRule, finding, get, strings, writes } from "./access.ts";

const BLOCK_FLAGS = [
  "block_public_acls",
  "block_public_policy",
  "ignore_public_acls",
  "restrict_public_buckets",
];
const PUBLIC_ACLS = new Set(["public-read", "public-read-write", "authenticated-read"]);

/** True when one side of an EKS cluster has a public API endpoint open to the whole internet. */
function eksEndpointOpen(side: PlanValue): boolean {
  const vpc = get(side, "vpc_config", 0);
  if (get(vpc, "endpoint_public_access") !== true) return false;
  const cidrs = get(vpc, "public_access_cidrs");
  // Unset or unknown CIDRs default to the whole internet.
  return cidrs === undefined || cidrs === null || cidrs === UNKNOWN || strings(cidrs).includes("0.0.0.0/0");
}

/** Public exposure: publicly_accessible, public S3 access, a public EKS endpoint. */
export const exposureRule: ChangeRule = (change) => {
  if (change.mode === "data") return [];
  const out: RiskFinding[] = [];
  const publicBlock =
    change.type === "aws_s3_bucket_public_access_block" ||
    change.type === "aws_s3_account_public_access_block";
  if (publicBlock && (change.kind === "delete" || change.kind === "forget")) {
    out.push(finding("public-exposure", "high", change, "removes an S3 public access block."));
  }
  if (!writes(change)) return out;
  // Plain calls rather than per-change closures: this runs for every change of a large plan.
  const { before, after } = change;

  if (get(after, "publicly_accessible") === true && get(before, "publicly_accessible") !== true) {
    out.push(
      finding(
        "public-exposure",
        "high",
        change,
        "makes the resource publicly accessible (publicly_accessible).",
      ),
    );
  }
  if (publicBlock) {
    const lifted = BLOCK_FLAGS.filter((f) => get(after, f) === false && get(before, f) !== false);
    if (lifted.length > 0) {
      out.push(
        finding("public-exposure", "high", change, `allows public S3 access (${lifted.join(", ")} off).`),
      );
    }
  }
  if (change.type === "aws_s3_bucket" || change.type === "aws_s3_bucket_acl") {
    const acl = get(after, "acl");
    if (typeof acl === "string" && PUBLIC_ACLS.has(acl) && get(before, "acl") !== acl) {
      const severity = acl === "public-read-write" ? "critical" : "high";
      out.push(finding("public-exposure", severity, change, `grants a public canned ACL (acl = ${acl}).`));
    }
  }
  if (change.type === "aws_eks_cluster") {
    if (eksEndpointOpen(after) && !eksEndpointOpen(before)) {
      out.push(
        finding(
          "public-exposure",
          "high",
          change,
          "opens the EKS API endpoint to the internet (endpoint_public_access).",
        ),
      );
    }
  }
  return out;
};
