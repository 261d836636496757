/** Error codes of node configuration (CLI, config file, env, keys, datadir). */
export const CONFIG_ERROR = {
  /** a flag, env var or config-file key names no option */
  UNKNOWN_OPTION: 'CONFIG_ERROR_UNKNOWN_OPTION',
  /** an option's value is malformed or out of range */
  INVALID_OPTION: 'CONFIG_ERROR_INVALID_OPTION',
  /** options that cannot be used together, or a required one is missing */
  CONFLICTING_OPTIONS: 'CONFIG_ERROR_CONFLICTING_OPTIONS',
  /** --config file unreadable or not a JSON object */
  CONFIG_FILE: 'CONFIG_ERROR_CONFIG_FILE',
  /** keystore file unreadable or not a valid Web3 Secret Storage v3 document */
  KEYSTORE_INVALID: 'CONFIG_ERROR_KEYSTORE_INVALID',
  /** the keystore MAC does not match: wrong password */
  KEYSTORE_WRONG_PASSWORD: 'CONFIG_ERROR_KEYSTORE_WRONG_PASSWORD',
  /** the sequencer key does not belong to the spec's sequencer address */
  SEQUENCER_KEY_MISMATCH: 'CONFIG_ERROR_SEQUENCER_KEY_MISMATCH',
  /** datadir has no chain spec and none was given */
  DATADIR_NOT_INITIALISED: 'CONFIG_ERROR_DATADIR_NOT_INITIALISED',
  /** --rpc.addr does not resolve or is not an address of this machine */
  RPC_ADDR_UNAVAILABLE: 'CONFIG_ERROR_RPC_ADDR_UNAVAILABLE',
  /** --rpc.port is in use (or needs privileges) on --rpc.addr */
  RPC_PORT_UNAVAILABLE: 'CONFIG_ERROR_RPC_PORT_UNAVAILABLE',
  /** datadir was initialised with a different chain spec */
  GENESIS_MISMATCH: 'CONFIG_ERROR_GENESIS_MISMATCH',
} as const
/** One of CONFIG_ERROR. */
export type ConfigErrorCode = (typeof CONFIG_ERROR)[keyof typeof CONFIG_ERROR]
