/** The virtual node every run starts from: `addEdge(START, 'first')` names the entry. */
export const START = '__start__' as const
/** The virtual node a branch ends at: `addEdge('last', END)`, or a route returning `END`. */
export const END = '__end__' as const

/** The type of {@link START}. */
export type Start = typeof START
/** The type of {@link END}. */
export type End = typeof END
