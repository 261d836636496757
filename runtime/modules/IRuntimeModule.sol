// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

import {IERC165} from "@openzeppelin/contracts/utils/introspection/IERC165.sol";

/// @title What every OpenLedger runtime module answers besides its own interface
/// @notice The module dispatcher (runtime/modules/framework) adds these functions and reverts
/// with these errors, the same for every module.
interface IRuntimeModule is IERC165 {
    /// @notice The calldata's selector names no function of the module (or plain value to a module without receive).
    error UnknownSelector(bytes4 selector);
    /// @notice Value sent to a function that is not payable.
    error NonPayable();
    /// @notice Calldata that a canonical ABI encoder would not produce (short, dirty high bits, bad offsets).
    error MalformedCalldata();
    /// @notice A state-changing function reached inside a STATICCALL.
    error StaticCallViolation();
    /// @notice Modules run only at their own address: DELEGATECALL and CALLCODE are refused.
    error DelegateCallNotAllowed();
    /// @notice A module-specific failure with a message.
    error ModuleError(string message);

    /// @notice The semantic version of the module's ABI and behaviour.
    function moduleVersion() external view returns (string memory);
}
