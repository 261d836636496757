// SPDX-License-Identifier: MIT
pragma solidity ^0.8.20;

import {IERC20Metadata} from "@openzeppelin/contracts/token/ERC20/extensions/IERC20Metadata.sol";
import {IERC20Permit} from "@openzeppelin/contracts/token/ERC20/extensions/IERC20Permit.sol";
import {IERC5267} from "@openzeppelin/contracts/interfaces/IERC5267.sol";
import {IERC5805} from "@openzeppelin/contracts/interfaces/IERC5805.sol";
import {IERC20Errors} from "@openzeppelin/contracts/interfaces/draft-IERC6093.sol";
import {IRuntimeModule} from "../IRuntimeModule.sol";

/// @title GOPEN: native OPEN wrapped 1:1 as OpenLedger's governance token
/// @notice The runtime module at 0x4f50454e00000000000000000000000000001002. It behaves as
/// OpenZeppelin 5's ERC20 + ERC20Permit + ERC20Votes (EIP-712 name "GOpen", version "1") with the
/// ERC-6372 timestamp clock, so wallets, Governor and Tally see an ordinary ERC20Votes token.
/// An account's voting units are its GOPEN balance plus the OPEN locked for it in vesting: they
/// follow its delegation, and getPastTotalSupply counts both (totalSupply is wrapped GOPEN only).
interface IGOPEN is IRuntimeModule, IERC20Metadata, IERC20Permit, IERC5805, IERC5267, IERC20Errors {
    /// ERC20Votes' packed checkpoint: from clock `_key` on, the votes are `_value`.
    struct Checkpoint208 {
        uint48 _key;
        uint208 _value;
    }

    /// `wad` native OPEN wrapped into GOPEN for `dst` (WETH9's event).
    event Deposit(address indexed dst, uint256 wad);
    /// `wad` GOPEN of `src` unwrapped and paid out as native OPEN (WETH9's event).
    event Withdrawal(address indexed src, uint256 wad);

    /// deposit / withdraw of zero (OpenLedger GOPEN).
    error ZeroValueNotAllowed();
    /// The total voting supply would pass uint208 (ERC20Votes).
    error ERC20ExceededSafeSupply(uint256 increasedSupply, uint256 cap);
    /// permit past its deadline (ERC20Permit).
    error ERC2612ExpiredSignature(uint256 deadline);
    /// permit signed by someone other than `owner` (ERC20Permit).
    error ERC2612InvalidSigner(address signer, address owner);
    /// delegateBySig with a nonce other than the signer's current one (Nonces).
    error InvalidAccountNonce(address account, uint256 currentNonce);
    /// getPastVotes / getPastTotalSupply at or after the current clock (Votes).
    error ERC5805FutureLookup(uint256 timepoint, uint48 clock);
    /// A signature nothing can be recovered from (ECDSA).
    error ECDSAInvalidSignature();
    /// A signature with s in the upper half of the curve order (ECDSA).
    error ECDSAInvalidSignatureS(bytes32 s);

    /// Wrap msg.value native OPEN into GOPEN for msg.sender (plain transfers do the same).
    function deposit() external payable;

    /// Burn `wad` GOPEN of msg.sender and send it `wad` native OPEN (a failed payout reverts).
    function withdraw(uint256 wad) external;

    /// Number of vote checkpoints of `account` (ERC20Votes).
    function numCheckpoints(address account) external view returns (uint32);

    /// The `pos`-th vote checkpoint of `account` (ERC20Votes; past the end: Panic 0x32).
    function checkpoints(address account, uint32 pos) external view returns (Checkpoint208 memory);

    /// OPEN locked for `account` in vesting that counts as its voting units besides its balance.
    function lockedVotingUnitsOf(address account) external view returns (uint256);
}
