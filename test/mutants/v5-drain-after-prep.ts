// The drain placed after the store it should precede: prep_compound_head() writes tail 2's _deferred_list over a pending copy.
export { default } from '../../docs/examples/v5-drain-after-prep.ts';
