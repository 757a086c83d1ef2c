import type { ResourceChange, ReviewKind } from "./types.ts";

export interface Classified {
  readonly kind: ReviewKind;
  readonly replaceOrder?: ResourceChange["replaceOrder"];
  readonly destructive: boolean;
}

/**
 * Classifies terraform's action list. An import is a no-op or update that is `importing`; a move is a
 * no-op with a `previous_address`. A moved resource that also changes is an update (terraform counts it
 * as "to change"; the move is still shown through its previous address). Any list not known here is
 * "unknown": destructive, needs approval.
 */
export function classifyActions(
  actions: readonly string[],
  flags: { readonly importing?: boolean; readonly moved?: boolean } = {},
): Classified {
  const key = actions.join(",");
  switch (key) {
    case "no-op":
    case "update":
      if (flags.importing) return { kind: "import", destructive: false };
      if (flags.moved && key === "no-op") return { kind: "move", destructive: false };
      return { kind: key === "update" ? "update" : "noop", destructive: false };
    case "create":
    case "read":
    case "forget":
      return { kind: key, destructive: false };
    case "delete":
      return { kind: "delete", destructive: true };
    case "delete,create":
      return { kind: "replace", replaceOrder: "delete-before-create", destructive: true };
    case "create,delete":
      return { kind: "replace", replaceOrder: "create-before-delete", destructive: true };
    case "create,forget":
      // The old object is forgotten, not destroyed; still a replacement a reviewer must see.
      return { kind: "replace", replaceOrder: "create-then-forget", destructive: true };
    default:
      return { kind: "unknown", destructive: true };
  }
}

/** Words for an action in every renderer. */
export function actionLabel(
  change: Pick<ResourceChange, "kind" | "actions" | "replaceOrder" | "previousAddress">,
): string {
  const updates = change.actions.length === 1 && change.actions[0] === "update";
  switch (change.kind) {
    case "create":
      return "create";
    case "update":
      return change.previousAddress ? "move, then update in-place" : "update in-place";
    case "delete":
      return "destroy";
    case "replace":
      return change.replaceOrder === "create-before-delete"
        ? "replace (create before destroy)"
        : change.replaceOrder === "create-then-forget"
          ? "replace (create, then forget the old object)"
          : "replace (destroy, then create)";
    case "read":
      return "read";
    case "noop":
      return "no change";
    case "forget":
      return "forget (remove from state, keep the object)";
    case "import":
      return updates ? "import, then update in-place" : "import";
    case "move":
      return "move";
    case "unknown":
      return `unknown actions [${change.actions.join(", ")}]: needs approval`;
  }
}

/** The order renderers list changes in: destructive first. */
export const KIND_ORDER: readonly ReviewKind[] = [
  "unknown",
  "delete",
  "replace",
  "forget",
  "update",
  "create",
  "import",
  "move",
  "read",
  "noop",
];
