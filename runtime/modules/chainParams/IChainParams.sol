// SPDX-License-Identifier: MIT
pragma solidity ^0.8.20;

/// @title OpenLedger governed chain parameters (runtime module at 0x4f50454E00000000000000000000000000001000)
/// @notice The block gas limit, the EIP-1559 base-fee rules, the fee recipients and the base-fee split,
/// read by every node each block. Only governance (the timelock at 0x4f50454E00000000000000000000000000001004)
/// changes them, and a change applies from the block after the one that makes it.
interface IChainParams {
    event ChainParameterChanged(bytes32 indexed name, uint256 value, uint256 fromBlock);

    error ChainParamsUnauthorized(address caller);
    error ChainParamsInvalidValue(bytes32 name, uint256 value);

    /// @notice The parameters of the current block.
    function blockParams()
        external
        view
        returns (
            uint64 gasLimit,
            uint64 maxChangeDenominator,
            uint64 elasticityMultiplier,
            address baseFeeRecipient,
            address priorityFeeRecipient,
            uint16 baseFeeShareBps
        );

    /// @notice The parameters of the next block (including changes made in this one).
    function nextBlockParams()
        external
        view
        returns (
            uint64 gasLimit,
            uint64 maxChangeDenominator,
            uint64 elasticityMultiplier,
            address baseFeeRecipient,
            address priorityFeeRecipient,
            uint16 baseFeeShareBps
        );

    function setGasLimit(uint64 gasLimit) external;
    function setBaseFeeParams(uint64 maxChangeDenominator, uint64 elasticityMultiplier) external;
    function setFeeRecipients(address baseFeeRecipient, address priorityFeeRecipient) external;
    /// @notice Basis points of every base fee credited to the base-fee recipient; the rest goes to the
    /// priority-fee recipient (the block's coinbase).
    function setBaseFeeShare(uint16 baseFeeShareBps) external;
}
