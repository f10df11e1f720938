// Which imports of a serverless-lab submission name the policy API: `vmlab`, or the relative paths into the package's own sources that solutions/ uses.
export function isServerlessApiSpecifier(specifier: string): boolean {
  return specifier === "vmlab" || /^(\.\.?\/)+(?:[\w.-]+\/)*src\/(index|serverless\/policy-api)(\.js|\.ts)?$/.test(specifier);
}
