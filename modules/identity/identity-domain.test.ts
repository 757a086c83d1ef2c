import { describe, expect, it } from "vitest";
import { only, resources, synthStack, testStack } from "../test/stack.ts";
import { Identity } from "./identity.ts";
import {
  CLOUDFRONT_CERTIFICATE_REGION,
  EmailSender,
  UserPoolDomain,
  type UserPoolDomainSpec,
} from "./identity-domain.ts";

function build(domain: UserPoolDomainSpec, email?: { domain: string; hostedZoneId: string }) {
  const stack = testStack("prod", "prod-platform");
  const sender = email ? new EmailSender(stack, "email", email) : undefined;
  const identity = new Identity(stack, "identity", {
    ...(sender
      ? { email: { fromAddress: `no-reply@${email?.domain}`, sesIdentityArn: sender.identityArn } }
      : {}),
    clients: [{ name: "web", confidential: false, callbackUrls: ["https://app.example.com/callback"] }],
  });
  const built = new UserPoolDomain(stack, "identity-domain", { userPoolId: identity.userPoolId, domain });
  return { json: synthStack(stack), built };
}

describe("UserPoolDomain", () => {
  it("gives the pool a prefix domain, so the OAuth code flow has endpoints", () => {
    const { json, built } = build({ prefix: "acme-sluice-dev" });
    expect(only(json, "aws_cognito_user_pool_domain")).toMatchObject({
      domain: "acme-sluice-dev",
      user_pool_id: expect.stringMatching(/^\$\{aws_cognito_user_pool\./),
    });
    expect(resources(json, "aws_acm_certificate")).toEqual({});
    expect(built.baseUrl).toContain("acme-sluice-dev.auth.");
  });

  it("serves a custom domain with a DNS-validated us-east-1 certificate and an alias to Cognito's CloudFront", () => {
    const { json } = build({ name: "auth.example.com", hostedZoneId: "Z0EXAMPLE" });
    expect(only(json, "aws_acm_certificate")).toMatchObject({
      domain_name: "auth.example.com",
      validation_method: "DNS",
      region: CLOUDFRONT_CERTIFICATE_REGION,
    });
    expect(only(json, "aws_acm_certificate_validation").region).toBe("us-east-1");
    const domain = only(json, "aws_cognito_user_pool_domain");
    expect(domain).toMatchObject({
      domain: "auth.example.com",
      certificate_arn: expect.stringMatching(
        /^\$\{aws_acm_certificate_validation\.[\w-]+\.certificate_arn\}$/,
      ),
    });
    const records = Object.values(resources(json, "aws_route53_record"));
    expect(records.map((r) => r.zone_id)).toEqual(["Z0EXAMPLE", "Z0EXAMPLE"]);
    expect(records.find((r) => r.type === "A")).toMatchObject({
      name: "auth.example.com",
      alias: { name: expect.stringMatching(/cloudfront_distribution\}$/), evaluate_target_health: false },
    });
  });

  it("refuses a prefix Cognito rejects or a malformed host or zone, naming the field", () => {
    expect(() => build({ prefix: "my-cognito-login" })).toThrow(/UserPoolDomain: domain.prefix must be/);
    expect(() => build({ name: "auth", hostedZoneId: "Z0EXAMPLE" })).toThrow(
      /domain.name must be a host name/,
    );
    expect(() => build({ name: "auth.example.com", hostedZoneId: "zone" })).toThrow(
      /domain.hostedZoneId must be/,
    );
  });
});

describe("EmailSender", () => {
  it("verifies the domain with Easy DKIM records and lets only Cognito of this account send as it", () => {
    const { json } = build({ prefix: "acme" }, { domain: "example.com", hostedZoneId: "Z0EXAMPLE" });
    expect(only(json, "aws_sesv2_email_identity").email_identity).toBe("example.com");
    const dkim = Object.values(resources(json, "aws_route53_record")).filter((r) => r.type === "CNAME");
    expect(dkim).toHaveLength(3);
    for (const r of dkim)
      expect(String(r.name)).toMatch(/dkim_signing_attributes.*\._domainkey\.example\.com$/);
    const policy = JSON.parse(String(only(json, "aws_sesv2_email_identity_policy").policy));
    expect(policy.Statement[0]).toMatchObject({
      Principal: { Service: "cognito-idp.amazonaws.com" },
      Condition: { StringEquals: { "aws:SourceAccount": expect.stringMatching(/aws_caller_identity/) } },
    });
    expect(only(json, "aws_cognito_user_pool").email_configuration).toEqual({
      email_sending_account: "DEVELOPER",
      from_email_address: "no-reply@example.com",
      source_arn: expect.stringMatching(/^\$\{aws_sesv2_email_identity\./),
    });
  });
});
