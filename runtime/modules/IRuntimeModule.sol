// SPDX-License-Identifier: MIT
pragma solidity ^0.8.20;

import {IERC165} from "@openzeppelin/contracts/utils/introspection/IERC165.sol";

/// @title What every OpenLedger runtime module answers besides its own interface
/// @notice The framework's dispatcher (runtime/modules/framework/compileModule.ts) adds these to
/// each module: ERC-165 (true for 0x01ffc9a7, the module's own interface id and any it lists),
/// its version, and the reverts of the dispatcher itself.
interface IRuntimeModule is IERC165 {
    /// No function of the module has this selector (also: empty calldata to a module without receive).
    error UnknownSelector(bytes4 selector);
    /// Value sent to a function that is not payable.
    error NonPayable();
    /// Calldata shorter than a selector, or arguments no canonical ABI encoder produces.
    error MalformedCalldata();
    /// A state-changing function, or a write, inside a STATICCALL.
    error StaticCallViolation();
    /// Modules run only in their own account: DELEGATECALL / CALLCODE to them reverts.
    error DelegateCallNotAllowed();
    /// A module-specific failure described in text.
    error ModuleError(string message);

    /// Semantic version of the module's ABI and behaviour.
    function moduleVersion() external view returns (string memory);
}
