/** The annual operation-status report (issue 18 item 5), one import path: data gathered per section, and the pure pieces. */
export * from "./annual/data";
export * from "./annual/sections";
