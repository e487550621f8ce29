/** ml-buildpacks' own version, recorded in builder labels and reports. Keep equal to package.json. */
export const ML_BUILDPACKS_VERSION = "1.0.0";
