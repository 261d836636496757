import { AbiFunction } from 'ox'
import type { ModuleContext, ModuleFunction } from './types.ts'

/** IERC721Receiver / IERC1155Receiver hooks, with OpenZeppelin's parameter names. */
const HOOKS = [
  'function onERC721Received(address operator, address from, uint256 tokenId, bytes data) returns (bytes4)',
  'function onERC1155Received(address operator, address from, uint256 id, uint256 value, bytes data) returns (bytes4)',
  'function onERC1155BatchReceived(address operator, address from, uint256[] ids, uint256[] values, bytes data) returns (bytes4)',
] as const

/** type(IERC1155Receiver).interfaceId */
export const IERC1155_RECEIVER_INTERFACE_ID = '0x4e2312e0'

/**
 * The token-receiver hooks of a module: with no `refuse`, each accepts by returning its own
 * selector (OZ ERC721Holder / ERC1155Holder); otherwise each calls `refuse` (which reverts).
 */
export function tokenReceiverFunctions(refuse?: (ctx: ModuleContext) => never): ModuleFunction[] {
  return HOOKS.map((abi) => {
    const selector = AbiFunction.getSelector(AbiFunction.from(abi))
    return { abi, handler: async (ctx: ModuleContext) => (refuse === undefined ? selector : refuse(ctx)) }
  })
}
