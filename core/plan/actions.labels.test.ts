import { describe, expect, it } from "vitest";
import { actionLabel, classifyActions, KIND_ORDER } from "./actions.ts";
import { parsePlan } from "./parse.ts";
import { planText } from "./test/plans.ts";
import type { ResourceChange } from "./types.ts";

/** The label a reviewer reads for terraform's action list, through the parser as a real plan goes. */
function label(actions: string[], extra: Record<string, unknown> = {}, changeExtra = {}): string {
  const [change] = parsePlan(planText([{ actions, extra, changeExtra }])).changes;
  return actionLabel(change as ResourceChange);
}

describe("action labels", () => {
  it.each([
    [["create"], "create"],
    [["update"], "update in-place"],
    [["delete", "create"], "replace (destroy, then create)"],
    [["create", "delete"], "replace (create before destroy)"],
    [["create", "forget"], "replace (create, then forget the old object)"],
    [["read"], "read"],
    [["no-op"], "no change"],
    [["forget"], "forget (remove from state, keep the object)"],
    [["delete"], "destroy"],
    [["delete", "delete"], "unknown actions [delete, delete]: needs approval"],
    [[], "unknown actions []: needs approval"],
  ])("%j reads %j", (actions, expected) => {
    expect(label(actions)).toBe(expected);
  });

  it("a move and an import say whether they also update in place", () => {
    const moved = { previous_address: "aws_instance.old" };
    expect(label(["no-op"], moved)).toBe("move");
    expect(label(["update"], moved)).toBe("move, then update in-place");
    const importing = { importing: { id: "i-1" } };
    expect(label(["no-op"], {}, importing)).toBe("import");
    expect(label(["update"], {}, importing)).toBe("import, then update in-place");
  });

  it("an import or move updates in place only when its one action is update", () => {
    expect(actionLabel({ kind: "import", actions: ["update", "no-op"] })).toBe("import");
    expect(actionLabel({ kind: "move", actions: ["update", "no-op"] })).toBe("move");
  });

  it("a replacement without a known order reads as destroy, then create", () => {
    expect(actionLabel({ kind: "replace", actions: ["delete", "create"] })).toBe(
      "replace (destroy, then create)",
    );
  });
});

describe("classifyActions", () => {
  it("create,forget replaces: the old object is forgotten, and the change is destructive", () => {
    expect(classifyActions(["create", "forget"])).toEqual({
      kind: "replace",
      replaceOrder: "create-then-forget",
      destructive: true,
    });
  });

  it("imports are not destructive, with or without an update, and win over a move", () => {
    for (const actions of [["no-op"], ["update"]]) {
      expect(classifyActions(actions, { importing: true })).toEqual({ kind: "import", destructive: false });
      expect(classifyActions(actions, { importing: true, moved: true })).toEqual({
        kind: "import",
        destructive: false,
      });
    }
  });

  it("only a no-op or update can be an import or a move", () => {
    for (const actions of [["create"], ["read"], ["forget"]]) {
      expect(classifyActions(actions, { importing: true, moved: true })).toEqual({
        kind: actions[0],
        destructive: false,
      });
    }
    expect(classifyActions(["delete"], { importing: true, moved: true })).toEqual({
      kind: "delete",
      destructive: true,
    });
  });

  it("a pure move is a move; a move with changes is an update; neither is destructive", () => {
    expect(classifyActions(["no-op"], { moved: true })).toEqual({ kind: "move", destructive: false });
    expect(classifyActions(["update"], { moved: true })).toEqual({ kind: "update", destructive: false });
  });

  it("without flags a no-op and an update are themselves", () => {
    expect(classifyActions(["no-op"])).toEqual({ kind: "noop", destructive: false });
    expect(classifyActions(["update"])).toEqual({ kind: "update", destructive: false });
  });

  it("lists each kind once, the destructive ones first", () => {
    expect(new Set(KIND_ORDER).size).toBe(KIND_ORDER.length);
    expect(KIND_ORDER).toEqual([
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
    ]);
  });
});

describe("parsePlan keeps what identifies a change", () => {
  it("previous_address equal to the address is not a move, and is not kept", () => {
    const [change] = parsePlan(
      planText([{ actions: ["update"], extra: { previous_address: "aws_instance.this" } }]),
    ).changes;
    expect(change?.kind).toBe("update");
    expect(change).not.toHaveProperty("previousAddress");
  });

  it("a data source stays a data source, and a managed resource is managed by default", () => {
    const [read, unset] = parsePlan(
      planText([
        { actions: ["read"], address: "data.aws_ami.this", type: "aws_ami", extra: { mode: "data" } },
        { actions: ["create"], name: "plain", extra: { mode: undefined } },
      ]),
    ).changes;
    expect(read).toMatchObject({ mode: "data", kind: "read", destructive: false, type: "aws_ami" });
    expect(unset?.mode).toBe("managed");
  });

  it("keeps deposed, the provider name, the index and the module address", () => {
    const [change] = parsePlan(
      planText([
        {
          actions: ["delete"],
          address: 'module.app.aws_instance.this["a"]',
          extra: {
            deposed: "00000001",
            index: "a",
            module_address: "module.app",
            provider_name: "registry.terraform.io/hashicorp/aws",
          },
        },
      ]),
    ).changes;
    expect(change).toMatchObject({
      deposed: "00000001",
      index: "a",
      moduleAddress: "module.app",
      providerName: "registry.terraform.io/hashicorp/aws",
      kind: "delete",
      destructive: true,
    });
  });

  it("an import keeps its id, and an import without an id is still an import", () => {
    const [withId, withoutId, fromResource] = parsePlan(
      planText([
        { actions: ["no-op"], name: "a", changeExtra: { importing: { id: "i-1" } } },
        { actions: ["no-op"], name: "b", changeExtra: { importing: {} } },
        { actions: ["update"], name: "c", extra: { importing: { id: 7 } } },
      ]),
    ).changes;
    expect(withId).toMatchObject({ kind: "import", importing: { id: "i-1" }, destructive: false });
    expect(withoutId).toMatchObject({ kind: "import", importing: {}, destructive: false });
    expect(fromResource).toMatchObject({ kind: "import", importing: {}, destructive: false });
  });

  it("an importing flag that is not an object is no import", () => {
    const [change] = parsePlan(planText([{ actions: ["no-op"], changeExtra: { importing: true } }])).changes;
    expect(change?.kind).toBe("noop");
    expect(change).not.toHaveProperty("importing");
  });

  it("sets no optional field it did not read", () => {
    const [change] = parsePlan(
      planText([{ actions: ["create"], extra: { provider_name: undefined } }]),
    ).changes;
    expect(Object.keys(change ?? {})).toEqual([
      "address",
      "moduleAddress",
      "mode",
      "type",
      "name",
      "actions",
      "kind",
      "destructive",
      "before",
      "after",
    ]);
  });

  it("reads replace_paths from the resource as well, steps as numbers or strings", () => {
    const [change] = parsePlan(
      planText([{ actions: ["delete", "create"], extra: { replace_paths: [["tags", 0, true]] } }]),
    ).changes;
    expect(change?.replacePaths).toEqual([["tags", 0, "true"]]);
  });

  it.each([
    ["address", { address: 1 }, /resource_changes\[0\]\.address: expected a string, got a number/],
    ["type", { type: null }, /resource_changes\[0\]\.type: expected a string, got null/],
    ["name", { name: [] }, /resource_changes\[0\]\.name: expected a string, got an array/],
    ["mode", { mode: 1 }, /resource_changes\[0\]\.mode: expected a string/],
    ["change", { change: "x" }, /resource_changes\[0\]\.change: expected an object, got a string/],
    [
      "previous_address",
      { previous_address: 2 },
      /resource_changes\[0\]\.previous_address: expected a string/,
    ],
    ["deposed", { deposed: true }, /resource_changes\[0\]\.deposed: expected a string, got a boolean/],
    ["action_reason", { action_reason: {} }, /resource_changes\[0\]\.action_reason: expected a string/],
    ["provider_name", { provider_name: 3 }, /resource_changes\[0\]\.provider_name: expected a string/],
    ["module_address", { module_address: 3 }, /resource_changes\[0\]\.module_address: expected a string/],
    [
      "replace_paths",
      { replace_paths: "x" },
      /resource_changes\[0\]\.change\.replace_paths: expected an array/,
    ],
    [
      "a replace path",
      { replace_paths: ["x"] },
      /change\.replace_paths\[0\]: expected an array, got a string/,
    ],
  ])("rejects a wrong %s, naming the field", (_, extra, message) => {
    expect(() => parsePlan(planText([{ actions: ["create"], extra }]), "p.json")).toThrow(message);
  });

  it("rejects a change that is not an object", () => {
    const text = planText([]).replace('"resource_changes":[]', '"resource_changes":[7]');
    expect(() => parsePlan(text, "p.json")).toThrow(
      /^p\.json: resource_changes\[0\]: expected an object, got a number$/,
    );
  });
});
