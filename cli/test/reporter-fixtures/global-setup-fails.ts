/** Stands for a lab that does not come up: the global set-up throws before any file runs. */
export default () => {
  throw new Error('the lab did not come up');
};
