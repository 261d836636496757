import { setBalanceMethod } from '../anvil/setBalance.ts'

/**
 * hardhat_setBalance: anvil_setBalance's handler under Hardhat's name (setBalanceMethod in
 * anvil/setBalance.ts); answers true, as Hardhat.
 * Example: {"method":"hardhat_setBalance","params":["0x70997970c51812dc3a010c7d01b50e0d17dc79c8","0x0"]} -> true.
 */
export const setBalance = setBalanceMethod('hardhat_setBalance', true)
