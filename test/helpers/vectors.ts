/** The signing test vectors of ../shared/spec/top-protocol.md, shared by the node's and the sandbox's tests. */

/** Vector A, from the platform's own documentation: secret `helloworld`. */
export const VECTOR_A: Record<string, string> = {
	app_key: '12345678',
	fields: 'num_iid,title,nick,price,num',
	format: 'json',
	method: 'taobao.item.seller.get',
	num_iid: '11223344',
	session: 'test',
	sign_method: 'md5',
	timestamp: '2016-01-01 12:00:00',
	v: '2.0',
};
export const VECTOR_A_S =
	'app_key12345678fieldsnum_iid,title,nick,price,numformatjsonmethodtaobao.item.seller.getnum_iid11223344sessiontestsign_methodmd5timestamp2016-01-01 12:00:00v2.0';

/** Vector B, published independently: secret `test`. */
export const VECTOR_B: Record<string, string> = {
	app_key: 'test',
	fields: 'nick',
	format: 'xml',
	method: 'taobao.user.seller.get',
	session: 'test',
	sign_method: 'md5',
	timestamp: '2013-05-06 13:52:03',
	v: '2.0',
};
