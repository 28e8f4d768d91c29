// The `smpp` package (farhadi/node-smpp) ships no types: the tests reach it through node-smpp.ts only.
declare module 'smpp';
