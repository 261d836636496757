import type { Common } from '@ethereumjs/common'
import { getOpcodesForHF } from '@ethereumjs/evm'
import type { EVMOpts } from '@ethereumjs/evm'
import { Account, bytesToBigInt } from '@ethereumjs/util'
import type { Address } from '@ethereumjs/util'

const SELFDESTRUCT = 0xff

// @ethereumjs/evm exports EVMOpts but not its AddOpcode / RunState types
type AddOpcode = Extract<NonNullable<EVMOpts['customOpcodes']>[number], { logicFunction: unknown }>
type RunState = Parameters<AddOpcode['logicFunction']>[0]

/**
 * SELFDESTRUCT that never burns: Prague's opcode (EIP-6780) zeroes the balance of a contract
 * created in the same tx that names itself as beneficiary, destroying the OPEN. This wraps the
 * stock handler (same base fee and dynamic gas handler, so gas, the static-call check and every
 * other effect are unchanged) and, in exactly that case, first moves the balance to the block's
 * base-fee recipient (`recipientOf`)
 * through the frame's journal, so a reverting frame reverts the credit with the zeroing.
 * (EIP-8246 makes the same change upstream but requires Amsterdam.)
 *
 * `burner`, on a rollup chain the L2ToL1MessagePasser (0x4200…0016), is the one account whose burns
 * stand: its burn() destroys withdrawn OPEN this way (a contract it creates with the value
 * self-destructs to itself), and that OPEN has left L2 for the portal on L1; redirecting it would
 * mint it back into L2 while L1 pays it out.
 */
export function noBurnSelfdestructOpcode(common: Common, recipientOf: () => Promise<Address>, burner?: Address): NonNullable<EVMOpts['customOpcodes']>[number] {
  const stock = getOpcodesForHF(common)
  const logic = stock.handlers.get(SELFDESTRUCT)
  const gas = stock.dynamicGasHandlers.get(SELFDESTRUCT)
  const info = stock.opcodes.get(SELFDESTRUCT)
  if (logic === undefined || gas === undefined || info === undefined) throw new TypeError('SELFDESTRUCT missing from the opcode table')
  return {
    opcode: SELFDESTRUCT,
    opcodeName: info.name,
    baseFee: info.fee,
    gasFunction: gas,
    logicFunction: async (runState: RunState, opCommon: Common) => {
      const interpreter = runState.interpreter
      const self = interpreter.getAddress()
      const beneficiary = runState.stack.peek(1)[0]
      const burnStands = burner !== undefined && interpreter._env.caller.equals(burner)
      if (!burnStands && beneficiary === bytesToBigInt(self.bytes) && interpreter._env.createdAddresses?.has(self.toString()) === true) {
        const balance = (await runState.stateManager.getAccount(self))?.balance ?? 0n
        if (balance > 0n) {
          const recipient = await recipientOf()
          const account = (await runState.stateManager.getAccount(recipient)) ?? new Account()
          account.balance += balance
          await interpreter.journal.putAccount(recipient, account)
        }
      }
      await logic(runState, opCommon)
    },
  }
}
