/** Error codes of the composition root. */
export const NODE_ERROR = {
  /** a request reached a part of the node that is still starting */
  STARTING: 'NODE_ERROR_STARTING',
} as const
/** One of {@link NODE_ERROR}. */
export type NodeErrorCode = (typeof NODE_ERROR)[keyof typeof NODE_ERROR]
