// SPDX-License-Identifier: MIT
pragma solidity ^0.8.20;

/// @title OpenLedger vesting module (runtime module at 0x4f50454E00000000000000000000000000001001)
/// @notice Holds locked OPEN under linear schedules with a cliff; the block timestamp is the clock.
/// vested(t) = 0 before the cliff, amount * (t - start) / duration (floored) until start + duration,
/// then amount. Anyone may release a schedule's vested OPEN to its beneficiary. Only governance (the
/// timelock at 0x4f50454E00000000000000000000000000001004) creates schedules, funded with the OPEN it
/// sends, and revokes revocable ones (the unvested part returns to it). Locked OPEN counts as GOPEN
/// voting units of its beneficiary (except the timelock's own schedules).
interface IVesting {
    event ScheduleCreated(
        uint256 indexed id,
        address indexed beneficiary,
        bytes32 indexed bucket,
        uint256 amount,
        uint64 start,
        uint64 cliff,
        uint64 duration,
        bool revocable
    );
    event Released(uint256 indexed id, address indexed beneficiary, uint256 amount);
    event Revoked(uint256 indexed id, address indexed beneficiary, uint256 refunded, uint256 vested);

    error VestingUnauthorized(address caller);
    error VestingUnknownSchedule(uint256 id);
    error VestingNotRevocable(uint256 id);
    error VestingAlreadyRevoked(uint256 id);
    error VestingNothingToRelease();
    error VestingInvalidSchedule();
    error VestingTransferFailed(address to, uint256 amount);

    function scheduleCount() external view returns (uint256);
    function getSchedule(uint256 id)
        external
        view
        returns (
            address beneficiary,
            uint256 amount,
            uint256 released,
            uint64 start,
            uint64 cliff,
            uint64 duration,
            bool revocable,
            bool revoked,
            bytes32 bucket
        );
    function schedulesOf(address beneficiary) external view returns (uint256[] memory);
    function vestedAmount(uint256 id, uint64 timestamp) external view returns (uint256);
    function vestedAmountOf(address beneficiary, uint64 timestamp) external view returns (uint256);
    function releasable(uint256 id) external view returns (uint256);
    function releasableOf(address beneficiary) external view returns (uint256);
    function lockedOf(address beneficiary) external view returns (uint256);
    function totals() external view returns (uint256 scheduled, uint256 released, uint256 unvested);
    function release(uint256 id) external returns (uint256);
    /// @notice Release every schedule of msg.sender (same as releaseAll()).
    function release() external returns (uint256);
    function releaseAll() external returns (uint256);
    function createSchedule(address beneficiary, uint64 start, uint64 cliff, uint64 duration, bool revocable, bytes32 bucket)
        external
        payable
        returns (uint256 id);
    function revoke(uint256 id) external returns (uint256 refunded);
}
