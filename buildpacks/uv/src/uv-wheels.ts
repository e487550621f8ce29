// The uv release this buildpack runs, from its PyPI wheels: one pinned file per architecture.
// The binary is the wheel's uv-<version>.data/scripts/uv (a static executable).

export const UV_VERSION = "0.13.9";

export interface UvWheel {
  url: string;
  sha256: string;
}

const FILES = "https://files.pythonhosted.org/packages";

/** CNB_TARGET_ARCH -> wheel. */
export const UV_WHEELS: Readonly<Record<string, UvWheel>> = {
  amd64: {
    url: `${FILES}/3d/aa/26d64642d808de4a652579ef950d7cd2d37f080a8babf9c67c6b75fc4c3f/uv-${UV_VERSION}-py3-none-manylinux_2_17_x86_64.manylinux2014_x86_64.whl`,
    sha256: "d7f459fe4fd247d830351c75686d3996ace3c6f3f728eb0e85a30b7ada0cef19",
  },
  arm64: {
    url: `${FILES}/57/15/94b6cd62ac3ff6550288328e8035288875197cbc183f51554b266a69877b/uv-${UV_VERSION}-py3-none-manylinux_2_17_aarch64.manylinux2014_aarch64.musllinux_1_1_aarch64.whl`,
    sha256: "5435c5ce14a56431208ca0996416d310f1598e8c2c8ba707688985a16bb82dbe",
  },
};
