import type { LifecycleApis } from "../lifecycle/versions.js";
import type { BuilderConfig, BuildpackDescriptor } from "./config.js";
import {
  BUILDER_METADATA_LABEL,
  BUILDPACK_LAYERS_LABEL,
  BUILDPACK_ORDER_LABEL,
  type BuilderMetadata,
  type BuildpackLayers,
  type OrderEntry,
} from "./metadata.js";

export interface LabelInputs {
  config: BuilderConfig;
  order: { group: OrderEntry[] }[];
  buildpacks: BuildpackDescriptor[];
  /** diffID of the layer holding each buildpack, same order as `buildpacks`. */
  layerDiffIds: string[];
  lifecycleVersion: string;
  apis: LifecycleApis;
  createdBy: { name: string; version: string };
}

/** Pure: the labels pack, kpack and our own core read from a builder image. */
export function builderLabels(inputs: LabelInputs): Record<string, string> {
  const { config, buildpacks, apis } = inputs;
  const [firstRun] = config.runImages;
  const metadata: BuilderMetadata = {
    description: config.description,
    buildpacks: buildpacks.map((b) => ({
      id: b.id,
      version: b.version,
      ...(b.homepage ? { homepage: b.homepage } : {}),
    })),
    stack: { runImage: { image: firstRun?.image ?? "", mirrors: firstRun?.mirrors ?? [] } },
    images: config.runImages.map((r) => ({ image: r.image, mirrors: r.mirrors })),
    lifecycle: {
      version: inputs.lifecycleVersion,
      // Deprecated single-version fields, still read by old pack releases.
      api: { buildpack: apis.buildpack.at(-1) ?? "", platform: apis.platform.at(-1) ?? "" },
      apis: {
        buildpack: { deprecated: [], supported: apis.buildpack },
        platform: { deprecated: [], supported: apis.platform },
      },
    },
    createdBy: inputs.createdBy,
  };
  const layers: BuildpackLayers = {};
  buildpacks.forEach((b, i) => {
    layers[b.id] ??= {};
    (layers[b.id] as BuildpackLayers[string])[b.version] = {
      api: b.api,
      layerDiffID: inputs.layerDiffIds[i] ?? "",
      ...(b.homepage ? { homepage: b.homepage } : {}),
      ...(b.name ? { name: b.name } : {}),
      ...(b.targets.length ? { targets: b.targets } : {}),
      ...(b.stacks.length ? { stacks: b.stacks } : {}),
    };
  });
  return {
    [BUILDER_METADATA_LABEL]: JSON.stringify(metadata),
    [BUILDPACK_LAYERS_LABEL]: JSON.stringify(layers),
    [BUILDPACK_ORDER_LABEL]: JSON.stringify(inputs.order),
  };
}

/** /cnb/buildpacks/<id with / replaced by _>/<version> */
export function buildpackPath(b: { id: string; version: string }): string {
  return `/cnb/buildpacks/${b.id.replaceAll("/", "_")}/${b.version}`;
}
