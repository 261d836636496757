import { Abi } from 'ox'
import { BASE_ERRORS, BASE_FUNCTIONS } from '../framework/compileModule.ts'

/** ERC20Votes' checkpoint struct, as `checkpoints(address,uint32)` returns it. */
const CHECKPOINT_STRUCT = 'struct Checkpoint208 { uint48 _key; uint208 _value; }'

/**
 * GOPEN's own functions (IGOPEN.sol): OpenZeppelin 5 ERC20 + ERC20Permit + ERC20Votes with the
 * timestamp clock, plus the WETH-style wrapping of native OPEN and the locked-units view.
 * Mutabilities are the interfaces' (IERC6372 declares CLOCK_MODE view).
 */
export const GOPEN_FUNCTIONS = [
  CHECKPOINT_STRUCT,
  'function name() view returns (string)',
  'function symbol() view returns (string)',
  'function decimals() view returns (uint8)',
  'function totalSupply() view returns (uint256)',
  'function balanceOf(address account) view returns (uint256)',
  'function transfer(address to, uint256 value) returns (bool)',
  'function allowance(address owner, address spender) view returns (uint256)',
  'function approve(address spender, uint256 value) returns (bool)',
  'function transferFrom(address from, address to, uint256 value) returns (bool)',
  'function permit(address owner, address spender, uint256 value, uint256 deadline, uint8 v, bytes32 r, bytes32 s)',
  'function nonces(address owner) view returns (uint256)',
  'function DOMAIN_SEPARATOR() view returns (bytes32)',
  'function eip712Domain() view returns (bytes1 fields, string name, string version, uint256 chainId, address verifyingContract, bytes32 salt, uint256[] extensions)',
  'function clock() view returns (uint48)',
  'function CLOCK_MODE() view returns (string)',
  'function getVotes(address account) view returns (uint256)',
  'function getPastVotes(address account, uint256 timepoint) view returns (uint256)',
  'function getPastTotalSupply(uint256 timepoint) view returns (uint256)',
  'function delegates(address account) view returns (address)',
  'function delegate(address delegatee)',
  'function delegateBySig(address delegatee, uint256 nonce, uint256 expiry, uint8 v, bytes32 r, bytes32 s)',
  'function numCheckpoints(address account) view returns (uint32)',
  'function checkpoints(address account, uint32 pos) view returns (Checkpoint208)',
  'function deposit() payable',
  'function withdraw(uint256 wad)',
  'function lockedVotingUnitsOf(address account) view returns (uint256)',
] as const

/** GOPEN's events: IERC20, IVotes, IERC5267 and WETH9's Deposit / Withdrawal. */
export const GOPEN_EVENTS = [
  'event Transfer(address indexed from, address indexed to, uint256 value)',
  'event Approval(address indexed owner, address indexed spender, uint256 value)',
  'event DelegateChanged(address indexed delegator, address indexed fromDelegate, address indexed toDelegate)',
  'event DelegateVotesChanged(address indexed delegate, uint256 previousVotes, uint256 newVotes)',
  'event EIP712DomainChanged()',
  'event Deposit(address indexed dst, uint256 wad)',
  'event Withdrawal(address indexed src, uint256 wad)',
] as const

/** OpenZeppelin 5's custom errors of the same paths, and OpenLedger GOPEN's ZeroValueNotAllowed. */
export const GOPEN_ERRORS = [
  'error ERC20InsufficientBalance(address sender, uint256 balance, uint256 needed)',
  'error ERC20InvalidSender(address sender)',
  'error ERC20InvalidReceiver(address receiver)',
  'error ERC20InsufficientAllowance(address spender, uint256 allowance, uint256 needed)',
  'error ERC20InvalidApprover(address approver)',
  'error ERC20InvalidSpender(address spender)',
  'error ERC20ExceededSafeSupply(uint256 increasedSupply, uint256 cap)',
  'error ERC2612ExpiredSignature(uint256 deadline)',
  'error ERC2612InvalidSigner(address signer, address owner)',
  'error InvalidAccountNonce(address account, uint256 currentNonce)',
  'error VotesExpiredSignature(uint256 expiry)',
  'error ERC5805FutureLookup(uint256 timepoint, uint48 clock)',
  'error ECDSAInvalidSignature()',
  'error ECDSAInvalidSignatureS(bytes32 s)',
  'error ZeroValueNotAllowed()',
  // Solidity's bounds-checked array read (`checkpoints` past the end) reverts Panic(0x32); it is
  // built in there, so IGOPEN.sol cannot declare it, but a module revert needs it in the ABI
  'error Panic(uint256 code)',
] as const

/** GOPEN's own functions as JSON ABI items (typed, for the handler table). */
export const gopenFunctionsAbi = Abi.from(GOPEN_FUNCTIONS)

/**
 * GOPEN's full JSON ABI, as `compileModule` builds it (own functions, the base functions every
 * module answers, events, base errors, own errors): typed `as const` for viem and ox.
 *
 * @example
 * ```ts
 * import { MODULE_ADDRESSES, gopenAbi } from './runtime/index.ts'
 * const votes = await client.readContract({ address: MODULE_ADDRESSES.gopen, abi: gopenAbi, functionName: 'getVotes', args: [account] })
 * ```
 */
export const gopenAbi = Abi.from([...GOPEN_FUNCTIONS, ...BASE_FUNCTIONS, ...GOPEN_EVENTS, ...BASE_ERRORS, ...GOPEN_ERRORS])
