/** Labels a builder carries so pack, kpack and the Tekton tasks can use our builders too (pack's formats). */
export const BUILDER_METADATA_LABEL = "io.buildpacks.builder.metadata";
export const BUILDPACK_LAYERS_LABEL = "io.buildpacks.buildpack.layers";
export const BUILDPACK_ORDER_LABEL = "io.buildpacks.buildpack.order";
export const STACK_ID_LABEL = "io.buildpacks.stack.id";

export interface BuildpackInfo {
  id: string;
  version: string;
  homepage?: string;
  name?: string;
}

export interface BuilderMetadata {
  description: string;
  buildpacks: BuildpackInfo[];
  stack: { runImage: { image: string; mirrors: string[] } };
  images: { image: string; mirrors: string[] }[];
  lifecycle: {
    version: string;
    api: { buildpack: string; platform: string };
    apis: {
      buildpack: { deprecated: string[]; supported: string[] };
      platform: { deprecated: string[]; supported: string[] };
    };
  };
  createdBy: { name: string; version: string };
}

export interface OrderEntry {
  id: string;
  version?: string;
  optional?: boolean;
}

export type BuildpackLayers = Record<
  string,
  Record<
    string,
    {
      api: string;
      layerDiffID: string;
      homepage?: string;
      name?: string;
      targets?: { os: string; arch: string }[];
      stacks?: { id: string }[];
    }
  >
>;
