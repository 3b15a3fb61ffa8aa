// memcpy_streaming() that always falls back to memcpy() (drains kept): correct, but every page is read for ownership.
import { memcpy } from '../../model/kernel/copy.ts';
import { makeV3Like, V3_OPTIONS } from '../../model/kernel/variants/v3.ts';

export default makeV3Like({ ...V3_OPTIONS, name: 'cost-cached-fallback', summary: 'v3 whose streaming copy falls back to cached memcpy() for every page', copy: memcpy });
