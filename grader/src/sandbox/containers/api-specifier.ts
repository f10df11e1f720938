// Which imports of a containers-lab submission name its API: `vmlab`, or the relative paths into the package's own sources that solutions/ uses.
export function isContainersApiSpecifier(specifier: string): boolean {
  return specifier === "vmlab" || /^(\.\.?\/)+(?:[\w.-]+\/)*src\/(index|containers\/lab-api|containers\/cpu-group)(\.js|\.ts)?$/.test(specifier);
}
