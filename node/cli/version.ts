import { packageVersion } from '../version.ts'

/** The --version line: "openledger <version> (node <node version>)". */
export function renderVersion(): string {
  return `openledger ${packageVersion()} (node ${process.version})\n`
}
