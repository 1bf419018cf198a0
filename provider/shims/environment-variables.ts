import { makeShim } from "./make-shim";

export = makeShim("variableSet");
