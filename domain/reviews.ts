/** Periodic log review (操作履歴の点検): one import path for the pages, actions and other areas. */
export * from "./reviews/periods";
export * from "./reviews/workflow";
export * from "./reviews/material";
export * from "./reviews/summary";
export { notifyOverdueReviews, runReviewPass } from "./reviews/overdue";
