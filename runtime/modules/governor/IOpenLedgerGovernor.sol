// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

import {IGovernor} from "@openzeppelin/contracts/governance/IGovernor.sol";
import {IERC5267} from "@openzeppelin/contracts/interfaces/IERC5267.sol";
import {IERC721Receiver} from "@openzeppelin/contracts/token/ERC721/IERC721Receiver.sol";
import {IERC1155Receiver} from "@openzeppelin/contracts/token/ERC1155/IERC1155Receiver.sol";
import {IRuntimeModule} from "../IRuntimeModule.sol";

/// @title OpenLedgerGovernor, the governor runtime module at 0x4f50454E…1003
/// @notice OpenZeppelin 5.7 Governor + GovernorSettings + GovernorCountingSimple + GovernorStorage +
/// GovernorVotes + GovernorVotesQuorumFraction (denominator 10,000) + GovernorPreventLateQuorum +
/// GovernorTimelockControl, as a native module. Votes come from the GOPEN module (timestamp clock);
/// proposals run through the timelock module (…1004). `updateTimelock` is not offered: the timelock
/// is the fixed module. A proposal queued past eta + grace period is Expired.
interface IOpenLedgerGovernor is IGovernor, IERC5267, IERC721Receiver, IERC1155Receiver, IRuntimeModule {
    // GovernorSettings
    event VotingDelaySet(uint256 oldVotingDelay, uint256 newVotingDelay);
    event VotingPeriodSet(uint256 oldVotingPeriod, uint256 newVotingPeriod);
    event ProposalThresholdSet(uint256 oldProposalThreshold, uint256 newProposalThreshold);

    // GovernorVotesQuorumFraction
    event QuorumNumeratorUpdated(uint256 oldQuorumNumerator, uint256 newQuorumNumerator);
    error GovernorInvalidQuorumFraction(uint256 quorumNumerator, uint256 quorumDenominator);

    // GovernorPreventLateQuorum
    event ProposalExtended(uint256 indexed proposalId, uint64 extendedDeadline);
    event LateQuorumVoteExtensionSet(uint64 oldVoteExtension, uint64 newVoteExtension);
    error GovernorPreventLateQuorumVoteExtensionTooLarge(uint256 newVoteExtension, uint256 maxVoteExtension);

    // OpenZeppelin library errors the governor can raise
    error SafeCastOverflowedUintDowncast(uint8 bits, uint256 value);
    error FailedCall();

    // Governor
    function BALLOT_TYPEHASH() external view returns (bytes32);
    function EXTENDED_BALLOT_TYPEHASH() external view returns (bytes32);
    function nonces(address owner) external view returns (uint256);
    /// @notice Governance only: a call from the governor itself (e.g. to recover value sent to it).
    function relay(address target, uint256 value, bytes calldata data) external payable;

    // GovernorTimelockControl
    function timelock() external view returns (address);

    // GovernorSettings (setters: governance only, i.e. msg.sender is the timelock executing a passed proposal)
    function setVotingDelay(uint48 newVotingDelay) external;
    function setVotingPeriod(uint32 newVotingPeriod) external;
    function setProposalThreshold(uint256 newProposalThreshold) external;

    // GovernorCountingSimple
    function proposalVotes(
        uint256 proposalId
    ) external view returns (uint256 againstVotes, uint256 forVotes, uint256 abstainVotes);

    // GovernorVotes
    function token() external view returns (address);

    // GovernorVotesQuorumFraction
    function quorumNumerator() external view returns (uint256);
    function quorumNumerator(uint256 timepoint) external view returns (uint256);
    function quorumDenominator() external view returns (uint256);
    function updateQuorumNumerator(uint256 newQuorumNumerator) external;

    // GovernorPreventLateQuorum
    function lateQuorumVoteExtension() external view returns (uint48);
    function setLateQuorumVoteExtension(uint48 newVoteExtension) external;

    // GovernorStorage
    function queue(uint256 proposalId) external;
    function execute(uint256 proposalId) external payable;
    function cancel(uint256 proposalId) external;
    function proposalCount() external view returns (uint256);
    function proposalDetails(
        uint256 proposalId
    )
        external
        view
        returns (address[] memory targets, uint256[] memory values, bytes[] memory calldatas, bytes32 descriptionHash);
    function proposalDetailsAt(
        uint256 index
    )
        external
        view
        returns (
            uint256 proposalId,
            address[] memory targets,
            uint256[] memory values,
            bytes[] memory calldatas,
            bytes32 descriptionHash
        );
}
