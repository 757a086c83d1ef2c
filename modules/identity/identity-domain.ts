import { AcmCertificate } from "@cdktf/provider-aws/lib/acm-certificate";
import { AcmCertificateValidation } from "@cdktf/provider-aws/lib/acm-certificate-validation";
import { CognitoUserPoolDomain } from "@cdktf/provider-aws/lib/cognito-user-pool-domain";
import { DataAwsCallerIdentity } from "@cdktf/provider-aws/lib/data-aws-caller-identity";
import { DataAwsRegion } from "@cdktf/provider-aws/lib/data-aws-region";
import { Route53Record } from "@cdktf/provider-aws/lib/route53-record";
import { Sesv2EmailIdentity } from "@cdktf/provider-aws/lib/sesv2-email-identity";
import { Sesv2EmailIdentityPolicy } from "@cdktf/provider-aws/lib/sesv2-email-identity-policy";
import { Fn } from "cdktf";
import { Construct } from "constructs";

/** CloudFront, which serves a Cognito custom domain, takes certificates from us-east-1 only. */
export const CLOUDFRONT_CERTIFICATE_REGION = "us-east-1";

/** A Cognito prefix domain (`<prefix>.auth.<region>.amazoncognito.com`) or a custom domain with an ACM certificate. */
export type UserPoolDomainSpec =
  | { readonly prefix: string }
  | {
      /** Fully qualified name, e.g. auth.example.com. */
      readonly name: string;
      /** Route 53 hosted zone holding `name` (certificate validation and the alias record go there). */
      readonly hostedZoneId: string;
    };

export interface UserPoolDomainProps {
  readonly userPoolId: string;
  readonly domain: UserPoolDomainSpec;
}

const PREFIX = /^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/;
const HOSTNAME = /^(?=.{4,253}$)([a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/;
const ZONE_ID = /^Z[A-Z0-9]{1,31}$/;

/**
 * The user pool's hosted endpoints (`/oauth2/authorize`, `/oauth2/token`, the managed login pages), which
 * the OAuth code flow needs. A custom domain gets a DNS-validated ACM certificate in us-east-1 and an
 * alias record to Cognito's CloudFront distribution.
 */
export class UserPoolDomain extends Construct {
  /** The domain's base URL, e.g. https://auth.example.com. */
  readonly baseUrl: string;

  constructor(scope: Construct, id: string, props: UserPoolDomainProps) {
    super(scope, id);
    const spec = props.domain;
    if ("prefix" in spec) {
      if (!PREFIX.test(spec.prefix) || /aws|amazon|cognito/.test(spec.prefix))
        throw new Error(
          `UserPoolDomain: domain.prefix must be lowercase letters, digits and '-' (1–63, without aws, amazon or cognito), got ${JSON.stringify(spec.prefix)}`,
        );
      new CognitoUserPoolDomain(this, "domain", { domain: spec.prefix, userPoolId: props.userPoolId });
      const region = new DataAwsRegion(this, "region").region;
      this.baseUrl = `https://${spec.prefix}.auth.${region}.amazoncognito.com`;
      return;
    }
    if (!HOSTNAME.test(spec.name))
      throw new Error(
        `UserPoolDomain: domain.name must be a host name such as auth.example.com, got ${JSON.stringify(spec.name)}`,
      );
    if (!ZONE_ID.test(spec.hostedZoneId))
      throw new Error(
        `UserPoolDomain: domain.hostedZoneId must be a Route 53 zone id such as Z123ABC, got ${JSON.stringify(spec.hostedZoneId)}`,
      );
    const certificate = new AcmCertificate(this, "certificate", {
      domainName: spec.name,
      validationMethod: "DNS",
      region: CLOUDFRONT_CERTIFICATE_REGION,
      lifecycle: { createBeforeDestroy: true },
    });
    const option = certificate.domainValidationOptions.get(0);
    const validationRecord = new Route53Record(this, "validation-record", {
      zoneId: spec.hostedZoneId,
      name: option.resourceRecordName,
      type: option.resourceRecordType,
      records: [option.resourceRecordValue],
      ttl: 300,
      allowOverwrite: true,
    });
    const validation = new AcmCertificateValidation(this, "validation", {
      certificateArn: certificate.arn,
      validationRecordFqdns: [validationRecord.fqdn],
      region: CLOUDFRONT_CERTIFICATE_REGION,
    });
    const domain = new CognitoUserPoolDomain(this, "domain", {
      domain: spec.name,
      certificateArn: validation.certificateArn,
      userPoolId: props.userPoolId,
    });
    new Route53Record(this, "alias", {
      zoneId: spec.hostedZoneId,
      name: spec.name,
      type: "A",
      alias: {
        name: domain.cloudfrontDistribution,
        zoneId: domain.cloudfrontDistributionZoneId,
        evaluateTargetHealth: false,
      },
    });
    this.baseUrl = `https://${spec.name}`;
  }
}

export interface EmailSenderProps {
  /** The mail domain, e.g. example.com (verified through DKIM records in `hostedZoneId`). */
  readonly domain: string;
  /** Route 53 hosted zone of `domain`. */
  readonly hostedZoneId: string;
}

/**
 * An SES domain identity with Easy DKIM (its three CNAME records in Route 53) and a sending
 * authorisation that lets Cognito, of this account only, send as it. New SES accounts are in the
 * sandbox: ask AWS once, in the SES console, to take it out.
 */
export class EmailSender extends Construct {
  readonly identityArn: string;

  constructor(scope: Construct, id: string, props: EmailSenderProps) {
    super(scope, id);
    if (!HOSTNAME.test(props.domain))
      throw new Error(
        `EmailSender: domain must be a domain such as example.com, got ${JSON.stringify(props.domain)}`,
      );
    if (!ZONE_ID.test(props.hostedZoneId))
      throw new Error(
        `EmailSender: hostedZoneId must be a Route 53 zone id such as Z123ABC, got ${JSON.stringify(props.hostedZoneId)}`,
      );
    const identity = new Sesv2EmailIdentity(this, "identity", { emailIdentity: props.domain });
    for (let i = 0; i < 3; i++) {
      const token = Fn.element(identity.dkimSigningAttributes.tokens, i);
      new Route53Record(this, `dkim-${i}`, {
        zoneId: props.hostedZoneId,
        name: `${token}._domainkey.${props.domain}`,
        type: "CNAME",
        records: [`${token}.dkim.amazonses.com`],
        ttl: 1800,
      });
    }
    const account = new DataAwsCallerIdentity(this, "account").accountId;
    new Sesv2EmailIdentityPolicy(this, "cognito-sends", {
      emailIdentity: identity.emailIdentity,
      policyName: "cognito-sends",
      policy: JSON.stringify({
        Version: "2012-10-17",
        Statement: [
          {
            Sid: "CognitoOfThisAccountSends",
            Effect: "Allow",
            Principal: { Service: "cognito-idp.amazonaws.com" },
            Action: ["ses:SendEmail", "ses:SendRawEmail"],
            Resource: identity.arn,
            Condition: { StringEquals: { "aws:SourceAccount": account } },
          },
        ],
      }),
    });
    this.identityArn = identity.arn;
  }
}
