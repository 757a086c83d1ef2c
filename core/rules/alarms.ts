import { referencedNames } from "./database.ts";
import { policyStatements } from "./queues.ts";
import { type Rule, resourcesOf, violation } from "./types.ts";

const snsEncrypted: Rule = {
  id: "sns-encrypted",
  description: "Every SNS topic is encrypted with a KMS key.",
  check: (stack) =>
    resourcesOf(stack, "aws_sns_topic")
      .filter((t) => typeof t.config.kms_master_key_id !== "string" || t.config.kms_master_key_id === "")
      .map((t) => violation("sns-encrypted", stack, t, "topic has no kms_master_key_id")),
};

const snsSubscriptionHttps: Rule = {
  id: "sns-subscription-https",
  description: "No SNS subscription delivers over plain HTTP.",
  check: (stack) =>
    resourcesOf(stack, "aws_sns_topic_subscription")
      .filter((s) => s.config.protocol === "http")
      .map((s) => violation("sns-subscription-https", stack, s, 'protocol must be "https", not "http"')),
};

const alarmHasAction: Rule = {
  id: "cloudwatch-alarm-has-action",
  description: "Every CloudWatch alarm notifies someone (alarm_actions is not empty).",
  check: (stack) =>
    resourcesOf(stack, "aws_cloudwatch_metric_alarm")
      .filter((a) => !Array.isArray(a.config.alarm_actions) || a.config.alarm_actions.length === 0)
      .map((a) => violation("cloudwatch-alarm-has-action", stack, a, "alarm has no alarm_actions")),
};

const alarmTopicKeyAllowsCloudWatch: Rule = {
  id: "sns-alarm-key-allows-cloudwatch",
  description:
    "A KMS-encrypted topic that alarms notify has a key policy letting cloudwatch.amazonaws.com use the key; otherwise alarms fail silently.",
  check: (stack) => {
    const alarmTopics = new Set(
      resourcesOf(stack, "aws_cloudwatch_metric_alarm").flatMap((a) =>
        referencedNames(a.config.alarm_actions, "aws_sns_topic", "arn"),
      ),
    );
    const keys = stack.json.resource?.aws_kms_key ?? {};
    return resourcesOf(stack, "aws_sns_topic")
      .filter((t) => alarmTopics.has(t.name))
      .flatMap((topic) => {
        const keyName = referencedNames(
          topic.config.kms_master_key_id,
          "aws_kms_key",
          "(?:arn|id|key_id)",
        )[0];
        const key = keyName ? keys[keyName] : undefined;
        // Keys from elsewhere (other stacks, AWS-managed alias/aws/sns) cannot be checked here; AWS-managed
        // keys never allow CloudWatch, so only a key of this stack passes.
        if (!key) {
          return [
            violation(
              "sns-alarm-key-allows-cloudwatch",
              stack,
              topic,
              "alarm topic's KMS key is not a key of this stack, so CloudWatch's access cannot be confirmed",
            ),
          ];
        }
        const statements = policyStatements(key.policy, stack) ?? [];
        const allowed = statements.some(
          (s) =>
            s.effect === "Allow" &&
            s.principals.includes("cloudwatch.amazonaws.com") &&
            s.actions.some(
              (a) => a === "kms:*" || a === "kms:GenerateDataKey*" || a === "kms:GenerateDataKey",
            ),
        );
        return allowed
          ? []
          : [
              violation(
                "sns-alarm-key-allows-cloudwatch",
                stack,
                topic,
                `key aws_kms_key.${keyName} does not allow cloudwatch.amazonaws.com kms:GenerateDataKey*/kms:Decrypt`,
              ),
            ];
      });
  },
};

const ADMIN_GUARDRAIL = /:policy\/(AdministratorAccess|PowerUserAccess|IAMFullAccess)$/;

const chatbotGuardrailed: Rule = {
  id: "chatbot-guardrailed",
  description:
    "Every AWS Chatbot Slack channel names guardrail policies narrower than administrator (Chatbot's default is AdministratorAccess) and requires each user's own authorisation.",
  check: (stack) =>
    resourcesOf(stack, "aws_chatbot_slack_channel_configuration").flatMap((c) => {
      const problems: string[] = [];
      const guardrails = Array.isArray(c.config.guardrail_policy_arns) ? c.config.guardrail_policy_arns : [];
      if (guardrails.length === 0)
        problems.push("guardrail_policy_arns is empty, so Chatbot applies AdministratorAccess");
      for (const arn of guardrails)
        if (typeof arn !== "string" || ADMIN_GUARDRAIL.test(arn) || arn.startsWith("${"))
          problems.push(`guardrail ${JSON.stringify(arn)} is (or may be) administrator access`);
      if (c.config.user_authorization_required !== true && c.config.user_authorization_required !== "true")
        problems.push("user_authorization_required is not true");
      return problems.map((p) => violation("chatbot-guardrailed", stack, c, p));
    }),
};

/** Secure defaults of modules/alarms (SNS, CloudWatch, Chatbot). */
export const alarmRules: readonly Rule[] = [
  snsEncrypted,
  snsSubscriptionHttps,
  alarmHasAction,
  alarmTopicKeyAllowsCloudWatch,
  chatbotGuardrailed,
];
