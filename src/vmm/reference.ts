// The reference trap-and-emulate handlers (lab 01's solution), for the CLI, notebooks and the grader's baseline.
export { handlers as referenceHandlers } from "../../solutions/01-trap-and-emulate/handlers.js";
