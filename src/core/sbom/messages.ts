// What --sbom-output-dir says when it cannot do its work.
export const sbomMessages = {
  unreadable: (image: string, what: string) => ({
    title: `Could not read the SBOM of ${image}: ${what}`,
    detail: "The image was pushed; only writing its SBOM to the output directory failed.",
    hint: "run the build again (the registry may have failed for a moment), or download the SBOM later with `pack sbom download`",
  }),
  noSbom: (dir: string, image: string, why: string) => `No SBOM written to ${dir}: the image ${image} ${why}`,
  saved: (image: string, platform: string, files: number, dir: string) =>
    `SBOM of ${image} (${platform}): ${files} files in ${dir}`,
  unwritable: (dir: string, why: string) => ({
    title: `Could not write the SBOM to ${dir}: ${why}`,
    hint: "choose an --sbom-output-dir (action input sbom-output-dir) this user can write to",
  }),
};
