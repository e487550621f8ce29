import { describe, expect, it } from "vitest";
import { dueRefresh, REFRESH_LABEL_PREFIX } from "../../../src/labels/refresh-due.js";
import { RefreshRecorder } from "../../../src/libcnb/refresh.js";

const at = (iso: string) => Date.parse(iso);

describe("refresh-due labels", () => {
  it("records nothing until asked, then the earliest time with its reason", () => {
    const r = new RefreshRecorder();
    expect(r.label("ml-buildpacks/deb-packages")).toBeUndefined();
    r.dueAt(at("2026-12-03T00:00:00Z"), "later");
    r.dueAt(at("2026-12-02T00:00:00Z"), "apt-get update");
    r.dueAt(at("2026-12-04T00:00:00Z"), "latest");
    expect(r.label("ml-buildpacks/deb-packages")).toEqual({
      key: `${REFRESH_LABEL_PREFIX}ml-buildpacks.deb-packages`,
      value: JSON.stringify({
        buildpack: "ml-buildpacks/deb-packages",
        due: "2026-12-02T00:00:00.000Z",
        reason: "apt-get update",
      }),
    });
  });

  it("finds the earliest refresh that is due, ignoring future, foreign and broken labels", () => {
    const a = new RefreshRecorder();
    a.dueAt(at("2026-12-02T00:00:00Z"), "a");
    const b = new RefreshRecorder();
    b.dueAt(at("2026-12-01T00:00:00Z"), "b");
    const labels = Object.fromEntries(
      [a.label("x/a"), b.label("x/b")].map((l) => [l?.key ?? "", l?.value ?? ""]),
    );
    labels[`${REFRESH_LABEL_PREFIX}broken`] = "{not json";
    labels[`${REFRESH_LABEL_PREFIX}no-date`] = JSON.stringify({ buildpack: "x/c", due: "soon", reason: "c" });
    labels["org.example.other"] = JSON.stringify({
      buildpack: "x/d",
      due: "2000-01-01T00:00:00Z",
      reason: "d",
    });

    expect(dueRefresh(labels, at("2026-11-30T23:59:59Z"))).toBeUndefined();
    expect(dueRefresh(labels, at("2026-12-01T00:00:00Z"))?.buildpack).toBe("x/b");
    expect(dueRefresh(labels, at("2026-12-05T00:00:00Z"))).toEqual({
      buildpack: "x/b",
      due: "2026-12-01T00:00:00.000Z",
      reason: "b",
    });
  });
});
