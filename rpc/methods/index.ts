import type { RpcMethod } from '../types.ts'
import { nodeInfo as adminNodeInfo } from './admin/nodeInfo.ts'
import { peers as adminPeers } from './admin/peers.ts'
import { mine as evmMine } from './evm/mine.ts'
import { increaseTime as evmIncreaseTime } from './evm/increaseTime.ts'
import { setNextBlockTimestamp as evmSetNextBlockTimestamp } from './evm/setNextBlockTimestamp.ts'
import { snapshot as evmSnapshot } from './evm/snapshot.ts'
import { revert as evmRevert } from './evm/revert.ts'
import { setBalance as anvilSetBalance } from './anvil/setBalance.ts'
import { setBalance as hardhatSetBalance } from './hardhat/setBalance.ts'
import { clientVersion as web3ClientVersion } from './web3/clientVersion.ts'
import { sha3 as web3Sha3 } from './web3/sha3.ts'
import { listening as netListening } from './net/listening.ts'
import { peerCount as netPeerCount } from './net/peerCount.ts'
import { version as netVersion } from './net/version.ts'
import { accounts as ethAccounts } from './eth/accounts.ts'
import { baseFee as ethBaseFee } from './eth/baseFee.ts'
import { blobBaseFee as ethBlobBaseFee } from './eth/blobBaseFee.ts'
import { capabilities as ethCapabilities } from './eth/capabilities.ts'
import { blockNumber as ethBlockNumber } from './eth/blockNumber.ts'
import { call as ethCall } from './eth/call.ts'
import { chainId as ethChainId } from './eth/chainId.ts'
import { config as ethConfig } from './eth/config.ts'
import { createAccessList as ethCreateAccessList } from './eth/createAccessList.ts'
import { estimateGas as ethEstimateGas } from './eth/estimateGas.ts'
import { feeHistory as ethFeeHistory } from './eth/feeHistory.ts'
import { fillTransaction as ethFillTransaction } from './eth/fillTransaction.ts'
import { gasPrice as ethGasPrice } from './eth/gasPrice.ts'
import { getBalance as ethGetBalance } from './eth/getBalance.ts'
import { getBlockByHash as ethGetBlockByHash } from './eth/getBlockByHash.ts'
import { getBlockByNumber as ethGetBlockByNumber } from './eth/getBlockByNumber.ts'
import { getBlockReceipts as ethGetBlockReceipts } from './eth/getBlockReceipts.ts'
import { getBlockTransactionCountByHash as ethGetBlockTransactionCountByHash } from './eth/getBlockTransactionCountByHash.ts'
import { getBlockTransactionCountByNumber as ethGetBlockTransactionCountByNumber } from './eth/getBlockTransactionCountByNumber.ts'
import { getCode as ethGetCode } from './eth/getCode.ts'
import { getFilterChanges as ethGetFilterChanges } from './eth/getFilterChanges.ts'
import { getFilterLogs as ethGetFilterLogs } from './eth/getFilterLogs.ts'
import { getLogs as ethGetLogs } from './eth/getLogs.ts'
import { getProof as ethGetProof } from './eth/getProof.ts'
import { getStorageAt as ethGetStorageAt } from './eth/getStorageAt.ts'
import { getStorageValues as ethGetStorageValues } from './eth/getStorageValues.ts'
import { getTransactionByBlockHashAndIndex as ethGetTransactionByBlockHashAndIndex } from './eth/getTransactionByBlockHashAndIndex.ts'
import { getTransactionByBlockNumberAndIndex as ethGetTransactionByBlockNumberAndIndex } from './eth/getTransactionByBlockNumberAndIndex.ts'
import { getTransactionByHash as ethGetTransactionByHash } from './eth/getTransactionByHash.ts'
import { getTransactionCount as ethGetTransactionCount } from './eth/getTransactionCount.ts'
import { getTransactionReceipt as ethGetTransactionReceipt } from './eth/getTransactionReceipt.ts'
import { getUncleByBlockHashAndIndex as ethGetUncleByBlockHashAndIndex } from './eth/getUncleByBlockHashAndIndex.ts'
import { getUncleByBlockNumberAndIndex as ethGetUncleByBlockNumberAndIndex } from './eth/getUncleByBlockNumberAndIndex.ts'
import { getUncleCountByBlockHash as ethGetUncleCountByBlockHash } from './eth/getUncleCountByBlockHash.ts'
import { getUncleCountByBlockNumber as ethGetUncleCountByBlockNumber } from './eth/getUncleCountByBlockNumber.ts'
import { maxPriorityFeePerGas as ethMaxPriorityFeePerGas } from './eth/maxPriorityFeePerGas.ts'
import { newBlockFilter as ethNewBlockFilter } from './eth/newBlockFilter.ts'
import { newFilter as ethNewFilter } from './eth/newFilter.ts'
import { newPendingTransactionFilter as ethNewPendingTransactionFilter } from './eth/newPendingTransactionFilter.ts'
import { sendRawTransaction as ethSendRawTransaction } from './eth/sendRawTransaction.ts'
import { sendTransaction as ethSendTransaction } from './eth/sendTransaction.ts'
import { sign as ethSign } from './eth/sign.ts'
import { signTransaction as ethSignTransaction } from './eth/signTransaction.ts'
import { signTypedDataV4 as ethSignTypedDataV4 } from './eth/signTypedDataV4.ts'
import { simulateV1 as ethSimulateV1 } from './eth/simulateV1.ts'
import { subscribe as ethSubscribe } from './eth/subscribe.ts'
import { syncing as ethSyncing } from './eth/syncing.ts'
import { uninstallFilter as ethUninstallFilter } from './eth/uninstallFilter.ts'
import { unsubscribe as ethUnsubscribe } from './eth/unsubscribe.ts'
import { sign as personalSign } from './personal/sign.ts'
import { content as txpoolContent } from './txpool/content.ts'
import { contentFrom as txpoolContentFrom } from './txpool/contentFrom.ts'
import { inspect as txpoolInspect } from './txpool/inspect.ts'
import { status as txpoolStatus } from './txpool/status.ts'
import { traceCall as debugTraceCall } from './debug/traceCall.ts'
import { getRawBlock as debugGetRawBlock } from './debug/getRawBlock.ts'
import { getRawHeader as debugGetRawHeader } from './debug/getRawHeader.ts'
import { getRawReceipts as debugGetRawReceipts } from './debug/getRawReceipts.ts'
import { getRawTransaction as debugGetRawTransaction } from './debug/getRawTransaction.ts'
import { traceBlockByHash as debugTraceBlockByHash } from './debug/traceBlockByHash.ts'
import { traceBlockByNumber as debugTraceBlockByNumber } from './debug/traceBlockByNumber.ts'
import { traceTransaction as debugTraceTransaction } from './debug/traceTransaction.ts'
import { modules as rpcModules } from './rpc/modules.ts'
import { getModules as openledgerGetModules } from './openledger/getModules.ts'
import { getSupply as openledgerGetSupply } from './openledger/getSupply.ts'
import { outputAtBlock as optimismOutputAtBlock } from './optimism/outputAtBlock.ts'
import { rollupConfig as optimismRollupConfig } from './optimism/rollupConfig.ts'
import { syncStatus as optimismSyncStatus } from './optimism/syncStatus.ts'
import { version as optimismVersion } from './optimism/version.ts'

/** Every JSON-RPC method the server serves, one file each under methods/<namespace>/. */
export const allMethods: readonly RpcMethod[] = [
  adminNodeInfo,
  adminPeers,
  web3ClientVersion,
  web3Sha3,
  netListening,
  netPeerCount,
  netVersion,
  ethAccounts,
  ethBaseFee,
  ethBlobBaseFee,
  ethCapabilities,
  ethBlockNumber,
  ethCall,
  ethChainId,
  ethConfig,
  ethCreateAccessList,
  ethEstimateGas,
  ethFeeHistory,
  ethFillTransaction,
  ethGasPrice,
  ethGetBalance,
  ethGetBlockByHash,
  ethGetBlockByNumber,
  ethGetBlockReceipts,
  ethGetBlockTransactionCountByHash,
  ethGetBlockTransactionCountByNumber,
  ethGetCode,
  ethGetFilterChanges,
  ethGetFilterLogs,
  ethGetLogs,
  ethGetProof,
  ethGetStorageAt,
  ethGetStorageValues,
  ethGetTransactionByBlockHashAndIndex,
  ethGetTransactionByBlockNumberAndIndex,
  ethGetTransactionByHash,
  ethGetTransactionCount,
  ethGetTransactionReceipt,
  ethGetUncleByBlockHashAndIndex,
  ethGetUncleByBlockNumberAndIndex,
  ethGetUncleCountByBlockHash,
  ethGetUncleCountByBlockNumber,
  ethMaxPriorityFeePerGas,
  ethNewBlockFilter,
  ethNewFilter,
  ethNewPendingTransactionFilter,
  ethSendRawTransaction,
  ethSendTransaction,
  ethSign,
  ethSignTransaction,
  ethSignTypedDataV4,
  ethSimulateV1,
  ethSubscribe,
  ethSyncing,
  ethUninstallFilter,
  ethUnsubscribe,
  personalSign,
  txpoolContent,
  txpoolContentFrom,
  txpoolInspect,
  txpoolStatus,
  debugTraceCall,
  debugGetRawBlock,
  debugGetRawHeader,
  debugGetRawReceipts,
  debugGetRawTransaction,
  debugTraceBlockByHash,
  debugTraceBlockByNumber,
  debugTraceTransaction,
  openledgerGetModules,
  openledgerGetSupply,
  optimismOutputAtBlock,
  optimismRollupConfig,
  optimismSyncStatus,
  optimismVersion,
  evmMine,
  evmIncreaseTime,
  evmSetNextBlockTimestamp,
  evmSnapshot,
  evmRevert,
  anvilSetBalance,
  hardhatSetBalance,
  rpcModules,
]
