import { describe, expect, it } from "vitest";
import { databaseAccessManifests } from "./database-access.ts";

describe("databaseAccessManifests", () => {
  it("gives each client's pods the access group and the cluster group, creating (and keeping) its namespace", () => {
    const manifests = databaseAccessManifests(
      "dev",
      [
        { namespace: "dev-orders", podLabels: { app: "orders" } },
        { namespace: "dev-orders", podLabels: { app: "billing" } },
      ],
      "sg-access",
      ["sg-cluster"],
    );
    expect(manifests).toEqual([
      {
        apiVersion: "v1",
        kind: "Namespace",
        metadata: { name: "dev-orders", annotations: { "helm.sh/resource-policy": "keep" } },
      },
      {
        apiVersion: "vpcresources.k8s.aws/v1beta1",
        kind: "SecurityGroupPolicy",
        metadata: { name: "dev-db-access-0", namespace: "dev-orders" },
        spec: {
          podSelector: { matchLabels: { app: "orders" } },
          securityGroups: { groupIds: ["sg-access", "sg-cluster"] },
        },
      },
      expect.objectContaining({
        metadata: { name: "dev-db-access-1", namespace: "dev-orders" },
        spec: expect.objectContaining({ podSelector: { matchLabels: { app: "billing" } } }),
      }),
    ]);
  });

  it("refuses a client that would select every pod of its namespace, or a bad namespace", () => {
    expect(() =>
      databaseAccessManifests("dev", [{ namespace: "dev-orders", podLabels: {} }], "sg-a", []),
    ).toThrow("databaseAccessManifests: clients[0].podLabels must select the workload's pods, got {}");
    expect(() =>
      databaseAccessManifests("dev", [{ namespace: "Orders", podLabels: { a: "b" } }], "sg-a", []),
    ).toThrow(/clients\[0\]\.namespace must be a Kubernetes name, got 'Orders'/);
  });
});
